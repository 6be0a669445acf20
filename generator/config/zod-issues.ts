import type { z } from 'zod'
import { configProblems, type ConfigPath, type Problem, type ProblemCode, type SourceLocation } from '../errors/problem.js'
import { describeValue, quote } from '../errors/describe-value.js'

type Issue = z.core.$ZodIssue
type RawIssue = z.core.$ZodRawIssue

/**
 * Messages for the checks whose schema gave none: passed as the per-parse error map, so that
 * every message in task-gen reads the same way.
 */
export function defaultMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `expected ${issue.expected}, got ${describeValue(issue.input)}`
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`
      if (issue.origin === 'string') return `must have at least ${issue.minimum} character(s)`
      return `must be at least ${issue.minimum}, got ${describeValue(issue.input)}`
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${issue.maximum} item(s)`
      if (issue.origin === 'string') return `must have at most ${issue.maximum} character(s)`
      return `must be at most ${issue.maximum}, got ${describeValue(issue.input)}`
    default:
      return undefined
  }
}

function problemCode(issue: Issue): ProblemCode {
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'required' : 'invalid_type'
  if (issue.code === 'invalid_key') return 'invalid_name'
  if (issue.code === 'unrecognized_keys') return 'unknown_key'
  return 'invalid_value'
}

/** A union branch that failed only because the value had another type altogether. */
function isTypeMismatch(branch: readonly Issue[]): boolean {
  return branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0 && branch[0]!.input !== undefined
}

type Path = readonly PropertyKey[]
type Locate = (path: ConfigPath) => SourceLocation | undefined

function toConfigPath(path: Path): ConfigPath {
  return path.map((part) => (typeof part === 'number' ? part : String(part)))
}

/**
 * Zod issues → problems, one per mistake. A union whose value had the type of one branch reports
 * that branch's issues (a task object with a bad field says which field, not "invalid input").
 */
export function issuesToProblems(issues: readonly Issue[], locate: Locate = () => undefined, base: Path = []): Problem[] {
  const problemAt = configProblems(locate)
  const problems: Problem[] = []
  for (const issue of issues) {
    const path = [...base, ...issue.path]
    if (issue.code === 'invalid_union') {
      const matching = issue.errors.filter((branch) => !isTypeMismatch(branch))
      if (matching.length > 0) {
        const closest = matching.reduce((a, b) => (b.length < a.length ? b : a))
        problems.push(...issuesToProblems(closest, locate, path))
        continue
      }
    }
    if (issue.code === 'invalid_key') {
      for (const inner of issue.issues) problems.push(problemAt('invalid_name', toConfigPath(path), inner.message))
      continue
    }
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n')
      for (const [i, key] of issue.keys.entries()) {
        problems.push(problemAt('unknown_key', toConfigPath([...path, key]), lines[i] ?? `unknown key ${quote(key)}`))
      }
      continue
    }
    problems.push(problemAt(problemCode(issue), toConfigPath(path), issue.message))
  }
  return problems
}
