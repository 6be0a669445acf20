/** What a template literal type's placeholder (`${string}`, `${number}`, `${bigint}`) accepts. */
export type TemplateHole = 'string' | 'number' | 'bigint'

function holeAccepts(hole: TemplateHole, text: string): boolean {
  if (hole === 'string') return true
  // TypeScript's own tests: a number is any text `+text` reads as a finite number; a bigint, an integer.
  if (hole === 'number') return text !== '' && Number.isFinite(+text)
  return /^-?\d+$/.test(text)
}

/**
 * Whether a string matches a template literal type (`texts[0]${holes[0]}texts[1]…`), as
 * TypeScript matches one: each placeholder ends at the first occurrence of the text after it (one
 * character when that text is empty), without backtracking, so that the time is linear.
 */
export function matchesTemplate(value: string, texts: readonly string[], holes: readonly TemplateHole[]): boolean {
  const first = texts[0]!
  const last = texts[texts.length - 1]!
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false
  const body = value.slice(0, value.length - last.length)
  let pos = first.length
  for (let i = 0; i < holes.length; i++) {
    const delimiter = i + 1 < holes.length ? texts[i + 1]! : undefined
    let end: number
    if (delimiter === undefined) end = body.length
    else if (delimiter.length > 0) end = body.indexOf(delimiter, pos)
    else end = pos < body.length ? pos + 1 : -1
    if (end < 0 || !holeAccepts(holes[i]!, body.slice(pos, end))) return false
    pos = end + (delimiter?.length ?? 0)
  }
  return holes.length > 0 || pos === body.length
}

/** The type as TypeScript writes it: `` `user-${string}` ``. */
export function templateText(texts: readonly string[], holes: readonly TemplateHole[]): string {
  return `\`${texts.map((text, i) => text.replace(/[`\\$]/g, '\\$&') + (i < holes.length ? `\${${holes[i]}}` : '')).join('')}\``
}
