import { relative } from 'node:path'
import { EnvironmentError } from '../errors/environment-error.js'
import type { SynthesizedStack } from '../synth/synthesize.js'
import { runTerraform } from './run-terraform.js'

export interface DeployOptions {
  /** Apply without asking. Without it, terraform asks on the terminal. */
  autoApprove: boolean
  /** Where progress lines go. */
  progress: (line: string) => void
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`
}

/** A terraform run that ended with an exit code other than 0 (as opposed to one that could not start). */
class TerraformFailed extends EnvironmentError {}

async function step(stack: SynthesizedStack, args: string[], interactive: boolean): Promise<void> {
  const run = await runTerraform(args, stack.dir, interactive)
  if (run.code === 0) return
  const where = relative(process.cwd(), stack.dir) || stack.dir
  const shown = interactive ? 'its output is above' : 'output above'
  throw new TerraformFailed(
    `terraform ${args[0]} failed for stack ${stack.name} in ${where} (exit code ${run.code}, ${shown})`,
    interactive ? undefined : run.output.trimEnd(),
  )
}

/** What a run did before it stopped: `applied on-failure; orders failed; reports not started`. */
function doneSoFar(stacks: readonly SynthesizedStack[], { index, ran, action }: { index: number; ran: boolean; action: 'apply' | 'destroy' }): string {
  const names = (list: readonly SynthesizedStack[]) => list.map((s) => s.name).join(', ')
  const done = stacks.slice(0, index)
  const notStarted = stacks.slice(ran ? index + 1 : index)
  return [
    done.length > 0 ? `${action === 'apply' ? 'applied' : 'destroyed'} ${names(done)}` : `nothing ${action === 'apply' ? 'applied' : 'destroyed'}`,
    ...(ran ? [`${stacks[index]!.name} failed`] : []),
    ...(notStarted.length > 0 ? [`${names(notStarted)} not started`] : []),
  ].join('; ')
}

/**
 * terraform init + apply (or destroy) in each stack folder, one after another, in the given order.
 * A failure says which stacks were done before it.
 */
export async function applyStacks(stacks: readonly SynthesizedStack[], action: 'apply' | 'destroy', options: DeployOptions): Promise<void> {
  const color = options.autoApprove ? ['-no-color'] : []
  for (const [i, stack] of stacks.entries()) {
    const started = Date.now()
    try {
      options.progress(`[${i + 1}/${stacks.length}] ${stack.name}: terraform init`)
      await step(stack, ['init', '-input=false', '-reconfigure', ...color], false)
      options.progress(`[${i + 1}/${stacks.length}] ${stack.name}: terraform ${action}`)
      await step(stack, [action, ...(options.autoApprove ? ['-auto-approve', '-input=false'] : []), ...color], !options.autoApprove)
    } catch (error) {
      if (!(error instanceof EnvironmentError)) throw error
      throw error.withNote(doneSoFar(stacks, { index: i, ran: error instanceof TerraformFailed, action }))
    }
    options.progress(`[${i + 1}/${stacks.length}] ${stack.name}: done in ${seconds(started)}`)
  }
}
