/**
 * The only ways user text (paths, names, JSDoc, string literal types, config values) enters
 * generated code and files. Every emitter goes through these, so that no input can end a
 * comment or a string early, or become code.
 */

/** Line terminators of JavaScript and TypeScript: each ends a `//` comment. */
const LINE_TERMINATOR = /\r\n|[\n\r\u2028\u2029]/g

/** JSON.stringify leaves U+2028/U+2029 raw: valid inside string literals since ES2019, a line terminator anywhere else and to older tools. */
function escapeSeparators(json: string): string {
  return json.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
}

/** A JSON value written as a JavaScript/TypeScript expression (also valid JSON). */
export function jsValue(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent)
  if (json === undefined) throw new Error(`task-gen bug: ${typeof value} has no JSON form`)
  return escapeSeparators(json)
}

/** A string literal for JavaScript, TypeScript or JSON, double-quoted. Never a template literal: user text is not code. */
export function jsString(text: string): string {
  return jsValue(text)
}

/**
 * A single-quoted string literal for JavaScript or TypeScript, the quote style of the emitted
 * code: JSON's escapes (control characters, lone surrogates, U+2028/U+2029 as `\u…`), except that
 * `"` stands bare and `'` is escaped.
 */
export function jsQuoted(text: string): string {
  const inner = jsString(text).slice(1, -1)
  // Escapes are read pairwise, so the `"` of `\\"` (an escaped backslash, then a quote) is never taken for an escape.
  return `'${inner.replace(/\\[\s\S]|'/g, (m) => (m === '\\"' ? '"' : m === "'" ? "\\'" : m))}'`
}

/** A string or number as a JavaScript/TypeScript literal (an enum member's value). */
export function jsLiteral(value: string | number): string {
  return typeof value === 'string' ? jsQuoted(value) : jsValue(value)
}

/**
 * JavaScript source that evaluates to a JSON value: `JSON.parse("…")`. In an object literal a
 * `"__proto__":` key sets the prototype instead of making a property, so JSON text emitted as a
 * literal would drop a property or type named `__proto__`; JSON.parse makes every key an own
 * property. (V8 also parses JSON faster than a literal of the same size.)
 */
export function jsonExpression(value: unknown): string {
  return `JSON.parse(${jsQuoted(jsValue(value))})`
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** Whether a name can be written bare, as an identifier (`E.name`, `{ name: … }`). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name)
}

/** A property or enum member name as TypeScript source: bare when it is an identifier, else a string literal. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : jsQuoted(name)
}

/** An object literal key for `name`: as `propertyKey`, but computed for `__proto__`, which as a plain key sets the prototype instead. */
export function objectKey(name: string): string {
  return name === '__proto__' ? `[${jsQuoted(name)}]` : propertyKey(name)
}

/** Text for inside any comment (line or block): on one line, and unable to end a block comment. */
export function commentText(text: string): string {
  return text.replace(LINE_TERMINATOR, ' ').replace(/\*\//g, '*\\/')
}

/** The lines of a text, split at every JavaScript line terminator. */
export function textLines(text: string): string[] {
  return text.split(LINE_TERMINATOR)
}

/** A JSDoc comment holding `text` (its lines kept, each made safe), indented by `indent`. */
export function docComment(text: string, indent = ''): string {
  const lines = textLines(text).map((line) => commentText(line).trimEnd())
  if (lines.length === 1) return `${indent}/** ${lines[0]} */`
  return [`${indent}/**`, ...lines.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`].join('\n')
}

/** A Markdown code span showing `text` literally, on one line, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const flat = text.replace(LINE_TERMINATOR, ' ')
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  // CommonMark strips one space from each side when both are present; pad so a leading or trailing backtick or space survives.
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/**
 * A string for Terraform's JSON syntax, where every string is a template: `${…}` and `%{…}` in
 * user text would run as Terraform expressions (`${file("…")}` reads a file) unless doubled.
 */
export function terraformText(text: string): string {
  return text.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{')
}
