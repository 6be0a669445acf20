import { relative } from 'node:path'
import { printable } from './describe-value.js'
import type { Problem, SourceLocation } from './problem.js'

function formatLocation(location: SourceLocation, cwd: string): string {
  const file = relative(cwd, location.file) || location.file
  return `${file}:${location.line}:${location.column}`
}

/**
 * One line per problem: `<path>: <message>`, with the file position after it when known.
 * A problem with no config path (a JSON syntax error) starts with its file position instead.
 * Whatever a message quotes (a file name, a key), the line stays one line of plain text.
 */
export function formatProblem(problem: Problem, cwd = process.cwd()): string {
  const where = problem.location ? formatLocation(problem.location, cwd) : undefined
  if (problem.path === '') return printable(`${where ?? '<config>'}: ${problem.message}`)
  return printable(where ? `${problem.path}: ${problem.message} (${where})` : `${problem.path}: ${problem.message}`)
}

export function formatProblems(problems: readonly Problem[], cwd = process.cwd()): string {
  return problems.map((problem) => formatProblem(problem, cwd)).join('\n')
}
