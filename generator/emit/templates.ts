import { readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { ts } from '../extract/morph.js'
import { packageRoot } from '../package-info.js'
import { commentText, jsString, markdownCode } from '../text/escape.js'

/**
 * How a `{{key}}` value is written into each kind of template: in .js and .d.ts files such
 * placeholders stand only inside comments, in .json files only inside strings, in .md files
 * they are whole code spans.
 */
const TEXT_ESCAPES: Record<string, (text: string) => string> = {
  '.js': commentText,
  '.ts': commentText,
  '.json': (text) => jsString(text).slice(1, -1),
  '.md': markdownCode,
}

/**
 * A file of templates/ with its placeholders filled in: `{{key}}` takes user text, escaped for
 * where it stands; `/*@key*\/` takes generated code, which its emitter has escaped already.
 */
export function fillTemplate(name: string, values: Record<string, string>): string {
  const text = readTemplate(name)
  const escapeText = TEXT_ESCAPES[extname(name)]
  if (!escapeText) throw new Error(`task-gen bug: no escaping for template ${name}`)
  return text.replace(/\{\{(\w+)\}\}|\/\*@(\w+)\*\//g, (match, simple: string | undefined, block: string | undefined) => {
    const value = values[(simple ?? block)!]
    if (value === undefined) throw new Error(`task-gen bug: template ${name} has no value for ${match}`)
    return simple !== undefined ? escapeText(value) : value
  })
}

function readTemplate(name: string): string {
  return readFileSync(join(packageRoot(), 'templates', name), 'utf8')
}

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
