import { quote } from './describe-value.js'

/** Where a problem is in a source file, 1-based. */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

/**
 * The kinds of problem a user can cause. Each has a stable code so that tests and tools can
 * match on it without parsing the message.
 */
export type ProblemCode =
  | 'json_syntax'
  | 'duplicate_key'
  | 'unknown_key'
  | 'required'
  | 'invalid_type'
  | 'invalid_value'
  | 'invalid_name'
  | 'name_too_long'
  | 'name_conflict'
  | 'file_not_found'
  | 'handler_not_found'
  /** A handler of a form the task wrapper cannot call (callback-style). */
  | 'unsupported_handler'
  | 'unsupported_type'
  | 'not_json_safe'
  /** TypeScript's own error in a handler or a file its payload types come from. */
  | 'type_error'
  | 'bundle_failed'
  /** The app would exceed a limit AWS sets (a role's policies). */
  | 'limit_exceeded'
  | 'output_folder'
  /** The machine task-gen runs on: a tool or a folder that an environment variable names is missing. */
  | 'environment'
  /** A warning, not an error: a handler parameter without a type. */
  | 'untyped_payload'
  /** A warning: a Lambda runtime AWS has deprecated. */
  | 'deprecated_runtime'

/** One thing wrong with the user's input. `path` is a config path such as `stacks.orders.tasks.x`. */
export interface Problem {
  code: ProblemCode
  path: string
  message: string
  location?: SourceLocation
}

/**
 * Thrown when the user's input is wrong. It carries every problem found, so that they can all be
 * reported at once; anything else thrown is a bug in task-gen.
 */
export class UserError extends Error {
  readonly problems: readonly Problem[]

  constructor(problems: readonly Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'))
    this.name = 'UserError'
    this.problems = problems
  }
}

/** A config path made of keys and indices, written the way a JavaScript reader would. */
export type ConfigPath = readonly (string | number)[]

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

export function formatPath(path: ConfigPath): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (IDENTIFIER.test(part)) out += out === '' ? part : `.${part}`
    else out += `[${quote(part, Infinity)}]`
  }
  return out
}

/** A maker of problems at config paths, each placed in the config file by `locate` when it can be. */
export function configProblems(locate: (path: ConfigPath) => SourceLocation | undefined) {
  return (code: ProblemCode, path: ConfigPath, message: string): Problem => {
    const location = locate(path)
    return { code, path: formatPath(path), message, ...(location ? { location } : {}) }
  }
}
