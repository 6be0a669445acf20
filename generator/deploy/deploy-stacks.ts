import { relative } from 'node:path'
import { UserError } from '../errors/problem.js'
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

async function step(stack: SynthesizedStack, args: string[], interactive: boolean): Promise<void> {
  const run = await runTerraform(args, stack.dir, interactive)
  if (run.code === 0) return
  const where = relative(process.cwd(), stack.dir) || stack.dir
  const shown = interactive ? '' : `\n${run.output.trimEnd()}`
  throw new UserError([{ code: 'cloud', path: `stacks.${stack.name}`, message: `terraform ${args[0]} failed in ${where} (exit code ${run.code})${shown}` }])
}

/** terraform init + apply (or destroy) in each stack folder, one after another, in the given order. */
export async function applyStacks(stacks: readonly SynthesizedStack[], action: 'apply' | 'destroy', options: DeployOptions): Promise<void> {
  const color = options.autoApprove ? ['-no-color'] : []
  for (const [i, stack] of stacks.entries()) {
    const started = Date.now()
    options.progress(`[${i + 1}/${stacks.length}] ${stack.name}: terraform init`)
    await step(stack, ['init', '-input=false', '-reconfigure', ...color], false)
    options.progress(`[${i + 1}/${stacks.length}] ${stack.name}: terraform ${action}`)
    await step(stack, [action, ...(options.autoApprove ? ['-auto-approve', '-input=false'] : []), ...color], !options.autoApprove)
    options.progress(`[${i + 1}/${stacks.length}] ${stack.name}: done in ${seconds(started)}`)
  }
}
