import { relative } from 'node:path'
import { EnvironmentError } from '../../errors/environment-error.js'
import { loadAndExtract } from '../../generate.js'
import { applyStacks } from '../../deploy/deploy-stacks.js'
import { terraformCliConfigEnv } from '../../deploy/terraform-cli-config.js'
import { ON_FAILURE_STACK, PAYLOADS_STACK, TOPICS_STACK } from '../../synth/stack-names.js'
import type { SynthesizedStack } from '../../synth/synthesize.js'
import { commonOptions, defineCommand, UsageError, type CommandInput } from '../commands.js'
import { printProjectNotes } from '../project-notes.js'
import { EXIT } from '../io.js'
import { configFileOption, stageOption } from '../options.js'
import { outputOption } from './synth.js'

function options(action: 'apply' | 'destroy') {
  return {
    ...commonOptions,
    output: outputOption,
    'auto-approve': { type: 'boolean', description: `${action} without asking (needed when not run from a terminal)` },
  } as const
}

/** The stacks named on the command line (all when none), keeping deploy order; task stacks bring the app-wide stacks (on-failure, payloads, topics). */
function selectStacks(all: readonly SynthesizedStack[], names: readonly string[], action: 'apply' | 'destroy'): SynthesizedStack[] {
  if (names.length === 0) return [...all]
  const known = all.map((s) => s.name)
  const unknown = names.filter((n) => !known.includes(n))
  if (unknown.length > 0) throw new UsageError(`unknown stack ${unknown.map((n) => `"${n}"`).join(', ')}; the stacks are: ${known.join(', ')}`)
  const wanted = new Set(names)
  if (action === 'apply' && known.includes(ON_FAILURE_STACK)) wanted.add(ON_FAILURE_STACK)
  if (action === 'apply' && known.includes(TOPICS_STACK)) wanted.add(TOPICS_STACK)
  if (action === 'apply' && known.includes(PAYLOADS_STACK)) wanted.add(PAYLOADS_STACK)
  return all.filter((s) => wanted.has(s.name))
}

async function run(input: CommandInput, action: 'apply' | 'destroy'): Promise<number> {
  const { values, positionals, io } = input
  const autoApprove = values['auto-approve'] === true
  if (!autoApprove && !process.stdin.isTTY) {
    throw new UsageError(`refusing to ${action} without --auto-approve: this is not an interactive terminal, so terraform could not ask`)
  }
  terraformCliConfigEnv() // a wrong provider mirror is reported before anything is written
  const { model, extraction } = await loadAndExtract({ configFile: configFileOption(values), stage: stageOption(values) })
  printProjectNotes(io, extraction, model)
  const { resolveSynthOutput, synthesize } = await import('../../synth/synthesize.js') // cdktf loads only for the commands that synthesize
  const synth = await synthesize(model, extraction, resolveSynthOutput(typeof values.output === 'string' ? values.output : undefined))
  const selected = selectStacks(synth.stacks, positionals, action)
  const ordered = action === 'destroy' ? [...selected].reverse() : selected
  try {
    await applyStacks(ordered, action, { autoApprove, progress: (line) => io.stdout(line) })
  } catch (error) {
    // The Terraform JSON stays, for a retry or a look: say so, instead of "nothing was written".
    throw error instanceof EnvironmentError ? error.withNote(`${relative(process.cwd(), synth.outDir) || '.'} written`) : error
  }
  io.stdout(`✓ ${action === 'apply' ? 'deployed' : 'destroyed'} ${ordered.map((s) => s.name).join(', ')} (stage "${model.stage}")`)
  return EXIT.ok
}

export const deployCommand = defineCommand({
  name: 'deploy',
  summary: 'synth, then terraform init and apply per stack, in dependency order',
  positionals: '[stack…]',
  options: options('apply'),
  run: (input) => run(input, 'apply'),
})

export const destroyCommand = defineCommand({
  name: 'destroy',
  summary: 'synth, then terraform destroy per stack, in reverse order',
  positionals: '[stack…]',
  options: options('destroy'),
  run: (input) => run(input, 'destroy'),
})
