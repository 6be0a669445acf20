import { readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
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

export function readTemplate(name: string): string {
  return readFileSync(join(packageRoot(), 'templates', name), 'utf8')
}
