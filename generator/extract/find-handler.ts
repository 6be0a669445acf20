import type { SourceFile, Symbol as MorphSymbol, Type } from 'ts-morph'
import { ts, type Node } from './morph.js'
import type { Problem } from '../errors/problem.js'
import { sourceProblem } from './problems.js'

export interface FoundHandler {
  /** The exported declaration (for messages and JSDoc). */
  node: Node
  /** The type of the exported value: decides the payload, whatever form the export takes. */
  type: Type
  exportName: string
}

function resolveAlias(symbol: MorphSymbol): MorphSymbol {
  return symbol.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol
}

function exportedSymbol(file: SourceFile, name: string | undefined): { symbol: MorphSymbol; name: string } | undefined {
  const exports = file.getExportSymbols()
  const byName = (wanted: string) => exports.find((s) => s.getName() === wanted)
  if (name !== undefined) {
    const symbol = byName(name)
    return symbol && { symbol, name }
  }
  const symbol = byName('default') ?? byName('handler')
  return symbol && { symbol, name: symbol.getName() }
}

/**
 * The handler of a task: the export named by `handler`, else the default export, else the export
 * named `handler`; it must be callable.
 */
export function findHandler(file: SourceFile, handlerName: string | undefined, path: string): FoundHandler | Problem {
  const found = exportedSymbol(file, handlerName)
  if (!found) {
    // Only values can be handlers: an exported interface or type is no candidate to list.
    const names = file
      .getExportSymbols()
      .filter((s) => (resolveAlias(s).getFlags() & ts.SymbolFlags.Value) !== 0)
      .map((s) => s.getName())
      .sort()
    const listed = names.length > 0 ? `its exported values: ${names.join(', ')}` : 'it exports no values'
    const wanted = handlerName !== undefined ? `no export named "${handlerName}"` : 'no default export and no export named "handler"'
    return sourceProblem(file, { code: 'handler_not_found', path, message: `${file.getBaseName()} has ${wanted} (${listed})` })
  }
  const symbol = resolveAlias(found.symbol)
  const node = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0] ?? file
  const type = symbol.getTypeAtLocation(node)
  if (type.getCallSignatures().length === 0) {
    return sourceProblem(node, { code: 'handler_not_found', path, message: `the export "${found.name}" is not a function (its type is ${type.getText(node)})` })
  }
  const handler: FoundHandler = { node, type, exportName: found.name }
  return callbackProblem(handler, path) ?? handler
}

/**
 * A callback-style handler `(event, context, callback)` cannot work: the task wrapper awaits the
 * handler's promise and passes no callback, in dev and deployed alike (and Node.js 24 drops them).
 */
function callbackProblem({ type, node, exportName }: FoundHandler, path: string): Problem | undefined {
  const third = type
    .getCallSignatures()
    .map((signature) => signature.getParameters()[2])
    .find((parameter) => parameter !== undefined)
  if (!third) return undefined
  const at = third.getValueDeclaration() ?? node
  return sourceProblem(at, {
    code: 'unsupported_handler',
    path,
    message: `the handler "${exportName}" takes a third parameter "${third.getName()}": callback-style handlers are not supported (the task wrapper passes no callback and awaits the result); make it async and return the result`,
  })
}
