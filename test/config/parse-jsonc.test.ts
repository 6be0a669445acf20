import { describe, expect, it } from 'vitest'
import { MAX_NESTING_DEPTH, parseJsonc } from '../../generator/config/parse-jsonc.js'
import { UserError } from '../../generator/errors/problem.js'

function syntaxError(text: string) {
  try {
    parseJsonc(text, '/project/task-gen.json')
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    const [problem] = (error as UserError).problems
    return problem!
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`)
}

describe('parseJsonc', () => {
  it('parses what JSON.parse parses', () => {
    const text = JSON.stringify({ a: [1, -2.5e3, true, false, null], b: { c: 'd\n"e"\u00e9' }, '': {} })
    expect(parseJsonc(text, 'x.json').value).toEqual(JSON.parse(text))
  })

  it('accepts line and block comments, and a byte order mark', () => {
    const doc = parseJsonc('\uFEFF// head\n{ /* a */ "a": 1, // b\n "b": [2 /* c */] }', 'x.json')
    expect(doc.value).toEqual({ a: 1, b: [2] })
  })

  it('accepts a trailing comma in objects and lists, as tsconfig.json does, keeping positions', () => {
    const doc = parseJsonc('{\n  "a": [1, 2,],\n  "b": { "c": true, /* d */ },\n  "e": 3, // f\n}', '/p/task-gen.json')
    expect(doc.value).toEqual({ a: [1, 2], b: { c: true }, e: 3 })
    expect(doc.locate(['a', 1])).toEqual({ file: '/p/task-gen.json', line: 2, column: 12 })
    expect(doc.locate(['b', 'c'])).toEqual({ file: '/p/task-gen.json', line: 3, column: 10 })
    expect(doc.locate(['e'])).toEqual({ file: '/p/task-gen.json', line: 4, column: 3 })
  })

  it('locates values by path, 1-based', () => {
    const doc = parseJsonc('{\n  "stacks": {\n    "orders": { "tasks": [ "x", "y" ] }\n  }\n}', '/p/task-gen.json')
    expect(doc.locate(['stacks', 'orders'])).toEqual({ file: '/p/task-gen.json', line: 3, column: 5 })
    expect(doc.locate(['stacks', 'orders', 'tasks', 1])).toEqual({ file: '/p/task-gen.json', line: 3, column: 33 })
    // A path below a known value points at the nearest known ancestor.
    expect(doc.locate(['stacks', 'orders', 'missing', 'deeper'])).toEqual({ file: '/p/task-gen.json', line: 3, column: 5 })
    // The document itself is located at its first character, so a config of the wrong shape has a position.
    expect(doc.locate([])).toEqual({ file: '/p/task-gen.json', line: 1, column: 1 })
    expect(parseJsonc('// head\n  [1]', 'x.json').locate([])).toEqual({ file: 'x.json', line: 2, column: 3 })
  })

  it('refuses lists and objects nested deeper than the bound, at the bracket one level too deep', () => {
    for (const text of ['['.repeat(5000), '{"a":'.repeat(5000), `${'['.repeat(MAX_NESTING_DEPTH + 1)}${']'.repeat(MAX_NESTING_DEPTH + 1)}`]) {
      const problem = syntaxError(text)
      expect(problem.code).toBe('json_syntax')
      expect(problem.message).toBe(`lists and objects are nested more than ${MAX_NESTING_DEPTH} levels deep`)
      const column = text.startsWith('{') ? MAX_NESTING_DEPTH * 5 + 1 : MAX_NESTING_DEPTH + 1
      expect(problem.location).toEqual({ file: '/project/task-gen.json', line: 1, column })
    }
  })

  it('parses nesting up to the bound, and siblings do not add up', () => {
    const deepest = `${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}`
    expect(JSON.stringify(parseJsonc(deepest, 'x.json').value)).toBe(deepest)
    const wide = `[${Array.from({ length: 500 }, () => '[[1]]').join(',')}]`
    expect(parseJsonc(wide, 'x.json').value).toEqual(JSON.parse(wide))
  })

  it('locates each of many values without scanning the file from the start for each', () => {
    // 40,000 lines; the old lookup scanned from the start for every one of them (about 10^9 steps).
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}`)
    const doc = parseJsonc(`{\n${keys.map((k) => `  "${k}": 1`).join(',\n')}\n}`, 'x.json')
    const lines = keys.map((k) => doc.locate([k])!.line)
    expect(lines).toEqual(keys.map((_, i) => i + 2))
    // No timing assertion: the old lookup took tens of seconds here and so ran past the test's timeout; the line index takes milliseconds.
  }, 20_000)

  it('quotes the text it shows in syntax messages so that it cannot break the line or reorder it', () => {
    expect(syntaxError('{ "a\u2028b" 1 }').message).toBe('expected ":" after property name "a\\u2028b", got "1"')
    expect(syntaxError('{ "a": 1 \u202e }').message).toBe('expected "," or "}" after the value of "a", got "\\u202e"')
    expect(syntaxError('{ "a": 1 \u{1F600} }').message).toBe('expected "," or "}" after the value of "a", got "\u{1F600}"')
  })

  it('reports keys written twice', () => {
    const doc = parseJsonc('{\n "a": 1,\n "a": 2\n}', 'x.json')
    expect(doc.value).toEqual({ a: 2 })
    expect(doc.duplicates).toEqual([{ path: ['a'], first: { file: 'x.json', line: 2, column: 2 }, again: { file: 'x.json', line: 3, column: 2 } }])
  })

  it('keeps a key named __proto__ as a plain key', () => {
    const value = parseJsonc('{ "__proto__": { "polluted": true } }', 'x.json').value as Record<string, unknown>
    expect(Object.keys(value)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}" after the value of "a", got "\\""'],
    ['{ , }', 1, 3, 'expected a property name in double quotes, got ","'],
    ['[ , ]', 1, 3, 'unexpected ","; expected a value'],
    ['{ "a": 1,, }', 1, 10, 'expected a property name in double quotes, got ","'],
    ['[1,,]', 1, 4, 'unexpected ","; expected a value'],
    ['{ a: 1 }', 1, 3, 'expected a property name in double quotes, got "a"'],
    ['{ "a": \'x\' }', 1, 8, 'strings must use double quotes'],
    ['{ "a": 1', 1, 9, 'got the end of the file'],
    ['{ "a": "x\ny" }', 1, 10, 'line break'],
    ['{ "a": tru }', 1, 8, 'expected a value'],
    ['{} {}', 1, 4, 'after the end of the document'],
    ['/* open', 1, 1, 'comment is not closed'],
    ['{ "a": "\\x" }', 1, 8, 'invalid escape'],
    ['', 1, 1, 'expected a value'],
  ])('names line and column of a syntax error in %j', (text, line, column, message) => {
    const problem = syntaxError(text)
    expect(problem.code).toBe('json_syntax')
    expect(problem.location).toEqual({ file: '/project/task-gen.json', line, column })
    expect(problem.message).toContain(message)
  })
})
