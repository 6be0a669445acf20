import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../package-info.js'

/** A file of templates/ with `{{key}}` and `/*@key*\/` placeholders filled in. */
export function fillTemplate(name: string, values: Record<string, string>): string {
  const text = readFileSync(join(packageRoot(), 'templates', name), 'utf8')
  return text.replace(/\{\{(\w+)\}\}|\/\*@(\w+)\*\//g, (match, simple: string | undefined, block: string | undefined) => {
    const key = (simple ?? block)!
    const value = values[key]
    if (value === undefined) throw new Error(`task-gen bug: template ${name} has no value for ${match}`)
    return value
  })
}
