import { UserError, type ConfigPath, type SourceLocation } from '../errors/problem.js'
import { quote } from '../errors/describe-value.js'

/** A parsed JSON document that remembers where each value came from. */
export interface JsonDocument {
  value: unknown
  /** The position of the value at `path` (of its key, for an object member). */
  locate(path: ConfigPath): SourceLocation | undefined
  /** Keys written twice in one object: JSON.parse would silently keep the last. */
  duplicates: { path: ConfigPath; first: SourceLocation; again: SourceLocation }[]
}

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

/**
 * How deeply lists and objects may nest. task-gen.json needs fewer than ten levels; the bound keeps
 * the recursive parser (and every walk over its result) far from the stack limit on hostile input.
 */
export const MAX_NESTING_DEPTH = 100

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Line and column of any offset in O(log lines): the line starts are found once, not per lookup. */
function lineIndex(text: string, file: string): (offset: number) => SourceLocation {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return { file, line: low + 1, column: offset - starts[low]! + 1 }
  }
}

function describeAt(text: string, offset: number): string {
  return offset >= text.length ? 'the end of the file' : quote(String.fromCodePoint(text.codePointAt(offset)!))
}

/**
 * Parses JSON with comments (`//` and block comments) and trailing commas, as tsconfig.json allows them, and records the
 * position of every value, so that later problems can point at a line.
 */
export function parseJsonc(source: string, file: string): JsonDocument {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source
  const offsets = new Map<string, number>()
  const duplicates: { path: ConfigPath; firstOffset: number; againOffset: number }[] = []
  let pos = 0
  let depth = 0

  const fail = (message: string, at = pos): never => {
    throw new SyntaxProblem(message, at)
  }

  const skipTrivia = (): void => {
    for (;;) {
      const c = text[pos]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') pos++
      else if (c === '/' && text[pos + 1] === '/') {
        while (pos < text.length && text[pos] !== '\n') pos++
      } else if (c === '/' && text[pos + 1] === '*') {
        const end = text.indexOf('*/', pos + 2)
        if (end < 0) fail('comment is not closed (missing "*/")')
        pos = end + 2
      } else return
    }
  }

  const parseString = (): string => {
    const start = pos
    pos++
    for (;;) {
      const c = text[pos]
      if (c === undefined) fail("string is not closed (missing '\"')", start)
      if (c === '"') break
      if (c === '\\') pos += 2
      else if (c! < ' ') fail('a string cannot contain a line break or control character; use \\n')
      else pos++
    }
    pos++
    try {
      return JSON.parse(text.slice(start, pos)) as string
    } catch {
      return fail('string has an invalid escape sequence', start)
    }
  }

  const parseLiteral = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, pos)) {
      pos += word.length
      return value
    }
    return fail(`unexpected ${describeAt(text, pos)}; expected a value`)
  }

  /** Enters a list or object; the problem points at the bracket one level too deep. */
  const enter = (): void => {
    if (++depth > MAX_NESTING_DEPTH) fail(`lists and objects are nested more than ${MAX_NESTING_DEPTH} levels deep`)
  }

  const parseObject = (path: ConfigPath): Record<string, unknown> => {
    const result: Record<string, unknown> = {}
    enter()
    pos++
    skipTrivia()
    if (text[pos] === '}') {
      pos++
      depth--
      return result
    }
    for (;;) {
      if (text[pos] !== '"') fail(`expected a property name in double quotes, got ${describeAt(text, pos)}`)
      const keyOffset = pos
      const key = parseString()
      const memberPath = [...path, key]
      const id = JSON.stringify(memberPath)
      const firstOffset = offsets.get(id)
      if (firstOffset !== undefined) duplicates.push({ path: memberPath, firstOffset, againOffset: keyOffset })
      else offsets.set(id, keyOffset)
      skipTrivia()
      if (text[pos] !== ':') fail(`expected ":" after property name ${quote(key)}, got ${describeAt(text, pos)}`)
      pos++
      skipTrivia()
      // Assign through defineProperty so that a key named "__proto__" stays a plain key.
      Object.defineProperty(result, key, { value: parseValue(memberPath), enumerable: true, writable: true, configurable: true })
      skipTrivia()
      if (text[pos] === ',') {
        pos++
        skipTrivia()
        // A trailing comma, as tsconfig.json allows it.
        if (text[pos] !== '}') continue
      }
      if (text[pos] === '}') {
        pos++
        depth--
        return result
      }
      fail(`expected "," or "}" after the value of ${quote(key)}, got ${describeAt(text, pos)}`)
    }
  }

  const parseArray = (path: ConfigPath): unknown[] => {
    const result: unknown[] = []
    enter()
    pos++
    skipTrivia()
    if (text[pos] === ']') {
      pos++
      depth--
      return result
    }
    for (;;) {
      const itemPath = [...path, result.length]
      offsets.set(JSON.stringify(itemPath), pos)
      result.push(parseValue(itemPath))
      skipTrivia()
      if (text[pos] === ',') {
        pos++
        skipTrivia()
        if (text[pos] !== ']') continue
      }
      if (text[pos] === ']') {
        pos++
        depth--
        return result
      }
      fail(`expected "," or "]" in the list, got ${describeAt(text, pos)}`)
    }
  }

  const parseValue = (path: ConfigPath): unknown => {
    const c = text[pos]
    if (c === '{') return parseObject(path)
    if (c === '[') return parseArray(path)
    if (c === '"') return parseString()
    if (c === 't') return parseLiteral('true', true)
    if (c === 'f') return parseLiteral('false', false)
    if (c === 'n') return parseLiteral('null', null)
    NUMBER.lastIndex = pos
    const number = NUMBER.exec(text)
    if (number) {
      pos += number[0].length
      return Number(number[0])
    }
    if (c === "'") return fail('strings must use double quotes in JSON')
    return fail(`unexpected ${describeAt(text, pos)}; expected a value`)
  }

  const locationAt = lineIndex(text, file)
  let value: unknown
  let rootOffset = 0
  try {
    skipTrivia()
    rootOffset = pos
    value = parseValue([])
    skipTrivia()
    if (pos < text.length) fail(`unexpected ${describeAt(text, pos)} after the end of the document`)
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    throw new UserError([{ code: 'json_syntax', path: '', message: error.message, location: locationAt(error.offset) }])
  }

  return {
    value,
    locate(path) {
      for (let n = path.length; n > 0; n--) {
        const offset = offsets.get(JSON.stringify(path.slice(0, n)))
        if (offset !== undefined) return locationAt(offset)
      }
      // Only the document itself is located at the root: a missing top-level key has no position.
      return path.length === 0 ? locationAt(rootOffset) : undefined
    },
    duplicates: duplicates.map((d) => ({
      path: d.path,
      first: locationAt(d.firstOffset),
      again: locationAt(d.againOffset),
    })),
  }
}
