import type { CliIo } from './io.js'

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** Shown in help, after the flag: `--config <file>`. */
  value?: string
  description: string
  multiple?: boolean
}

/** One option's value as parseArgs gives it: a string or a boolean by its type, a list when `multiple`. */
type OptionValue<S extends OptionSpec> = 'multiple' extends keyof S
  ? S extends { multiple: true }
    ? Scalar<S>[]
    : S extends { multiple: false }
      ? Scalar<S>
      : Scalar<S> | Scalar<S>[]
  : Scalar<S>
type Scalar<S extends OptionSpec> = S['type'] extends infer T ? (T extends 'string' ? string : boolean) : never

/** What parseArgs gives for `options`; an option not given is absent. */
export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]?: OptionValue<O[K]> }

/** What a command receives once its arguments are parsed. */
export interface CommandInput<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  values: OptionValues<O>
  positionals: string[]
  io: CliIo
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** As typed: `synth`, `failures list`. */
  name: string
  summary: string
  /** Positional arguments in the usage line, e.g. `[stack…]`. */
  positionals?: string
  options: O
  // A method, so that a command of its own options is still a CommandSpec of any options.
  run(input: CommandInput<O>): Promise<number>
}

/** A command whose `run` sees the values of its own options, typed from their spec. */
export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec
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
