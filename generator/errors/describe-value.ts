/**
 * Characters a terminal or log viewer acts on rather than shows: controls (a line break would split
 * one problem into two lines; ESC starts a terminal command), line and paragraph separators,
 * bidirectional controls (which reorder what is shown), and lone surrogates (not text at all).
 */
const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const LONGEST_QUOTE = 60

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/** `text` with every character in UNPRINTABLE written as a \uXXXX escape: safe to print on one line. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar)
}

/** Cuts `text` to `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  const end = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max
  return text.slice(0, end)
}

/**
 * A user's text in double quotes for a message: on one line, escaped as JSON escapes it (and the
 * characters above too), shortened to about `max` characters.
 */
export function quote(text: string, max = LONGEST_QUOTE): string {
  const short = text.length > max ? cut(text, max - 3) : text
  const quoted = printable(JSON.stringify(short))
  return short === text ? quoted : `${quoted.slice(0, -1)}..."`
}

/** The kind of a JSON value, without the value: `a string`, `a number`, `a list`. */
export function describeType(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'boolean') return 'a boolean'
  return `a ${typeof value}`
}

/** A short description of a JSON value for messages: `"abc"`, `3`, `an object`, `a list`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value)
  // JSON.stringify writes 1e400 (Infinity) as null; say what the number is instead.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'a number too large for JSON'
  if (value === undefined || value === null || typeof value === 'object') return describeType(value)
  return String(value)
}
