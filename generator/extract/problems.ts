import type { Node } from 'ts-morph'
import type { Problem } from '../errors/problem.js'

/** What a source problem says: everything but its location, which its node gives. */
export type ProblemText = Pick<Problem, 'code' | 'path' | 'message'>

/** A problem in a handler's source: the config path of its task, and the file position of `node`. */
export function sourceProblem(node: Node, { code, path, message }: ProblemText): Problem {
  const file = node.getSourceFile()
  const { line, column } = file.getLineAndColumnAtPos(node.getStart())
  return { code, path, message, location: { file: file.getFilePath(), line, column } }
}
