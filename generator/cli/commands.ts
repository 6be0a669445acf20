import type { CliIo } from './io.js'

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** Shown in help, after the flag: `--config <file>`. */
  value?: string
  description: string
  multiple?: boolean
}

/** What a command receives once its arguments are parsed. */
export interface CommandInput {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
  io: CliIo
}

export interface CommandSpec {
  /** As typed: `synth`, `failures list`. */
  name: string
  summary: string
  /** Positional arguments in the usage line, e.g. `[stack…]`. */
  positionals?: string
  options: Record<string, OptionSpec>
  run: (input: CommandInput) => Promise<number>
}

export const commonOptions = {
  config: { type: 'string', value: '<file>', description: 'the config file (default: ./task-gen.json)' },
  stage: { type: 'string', value: '<name>', description: 'the stage, part of every resource name (default: dev)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies Record<string, OptionSpec>

/** Which failure records `failures list` and `failures replay` take. */
export const failureFilterOptions = {
  stack: { type: 'string', value: '<name>', description: 'only this stack' },
  task: { type: 'string', value: '<name>', description: 'only this task' },
  limit: { type: 'string', value: '<n>', description: 'at most n records (default: 50)' },
  'dead-letter': { type: 'boolean', description: "the on-failure handler's dead-letter queue instead: records it could not take" },
} satisfies Record<string, OptionSpec>

/** Bad usage of the CLI (exit code 2), as opposed to a problem in the user's project (exit code 1). */
export class UsageError extends Error {
  override name = 'UsageError'
}
