import { stageName } from '../config/schema.js'
import { UsageError, type CommandInput } from './commands.js'

export function configFileOption(values: CommandInput['values']): string {
  return typeof values.config === 'string' ? values.config : './task-gen.json'
}

/** The --stage flag, checked here so that a bad one is a usage error (exit 2). */
export function stageOption(values: CommandInput['values']): string | undefined {
  if (typeof values.stage !== 'string') return undefined
  const checked = stageName.safeParse(values.stage)
  if (!checked.success) throw new UsageError(`--stage: ${checked.error.issues[0]?.message ?? 'invalid stage name'}`)
  return values.stage
}
