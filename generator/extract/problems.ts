import type { Node } from 'ts-morph'
import type { Problem, ProblemCode } from '../errors/problem.js'

/** A problem in a handler's source: the config path of its task, and the file position of `node`. */
export function sourceProblem(code: ProblemCode, path: string, message: string, node: Node): Problem {
  const file = node.getSourceFile()
  const { line, column } = file.getLineAndColumnAtPos(node.getStart())
  return { code, path, message, location: { file: file.getFilePath(), line, column } }
}
