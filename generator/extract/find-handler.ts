import { Node, type SourceFile, type Symbol as MorphSymbol, type Type } from 'ts-morph'
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
    const names = file.getExportSymbols().map((s) => s.getName()).sort()
    const listed = names.length > 0 ? `it exports: ${names.join(', ')}` : 'it exports nothing'
    const wanted = handlerName !== undefined ? `no export named "${handlerName}"` : 'no default export and no export named "handler"'
    return sourceProblem('handler_not_found', path, `${file.getBaseName()} has ${wanted} (${listed})`, file)
  }
  const symbol = resolveAlias(found.symbol)
  const node = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0] ?? file
  const type = symbol.getTypeAtLocation(node)
  if (type.getCallSignatures().length === 0) {
    return sourceProblem('handler_not_found', path, `the export "${found.name}" is not a function (its type is ${type.getText(node)})`, node)
  }
  return { node, type, exportName: found.name }
}
