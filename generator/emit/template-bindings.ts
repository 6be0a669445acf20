import { extname } from 'node:path'
import { ts } from '../extract/morph.js'
import { readTemplate } from './templates.js'

/** The names a statement binds in its module's scope: what it declares, imports or exports. */
function statementBindings(statement: ts.Statement): string[] {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause
    const named = clause?.namedBindings
    const imported = named === undefined ? [] : ts.isNamespaceImport(named) ? [named.name.text] : named.elements.map((e) => e.name.text)
    return [...(clause?.name ? [clause.name.text] : []), ...imported]
  }
  if (ts.isExportDeclaration(statement)) {
    return statement.exportClause && ts.isNamedExports(statement.exportClause) ? statement.exportClause.elements.map((e) => e.name.text) : []
  }
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []))
  const named = statement as ts.Statement & { name?: ts.Node }
  return named.name && ts.isIdentifier(named.name) ? [named.name.text] : []
}

/**
 * Every name a template's module binds at its top level (declarations, imports and exports): a
 * generated declaration or enum in that module must take another, or the module would not load.
 */
export function templateBindings(name: string): string[] {
  const kind = extname(name) === '.js' ? ts.ScriptKind.JS : ts.ScriptKind.TS
  const file = ts.createSourceFile(name, readTemplate(name), ts.ScriptTarget.Latest, false, kind)
  return file.statements.flatMap(statementBindings)
}
