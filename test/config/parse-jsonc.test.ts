import { describe, expect, it } from 'vitest'
import { parseJsonc } from '../../generator/config/parse-jsonc.js'
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

  it('locates values by path, 1-based', () => {
    const doc = parseJsonc('{\n  "stacks": {\n    "orders": { "tasks": [ "x", "y" ] }\n  }\n}', '/p/task-gen.json')
    expect(doc.locate(['stacks', 'orders'])).toEqual({ file: '/p/task-gen.json', line: 3, column: 5 })
    expect(doc.locate(['stacks', 'orders', 'tasks', 1])).toEqual({ file: '/p/task-gen.json', line: 3, column: 33 })
    // A path below a known value points at the nearest known ancestor.
    expect(doc.locate(['stacks', 'orders', 'missing', 'deeper'])).toEqual({ file: '/p/task-gen.json', line: 3, column: 5 })
    expect(doc.locate([])).toBeUndefined()
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
    ['{ "a": 1, }', 1, 11, 'trailing comma before "}"'],
    ['[1, 2,]', 1, 7, 'trailing comma before "]"'],
    ['{ a: 1 }', 1, 3, 'expected a property name in double quotes, got "a"'],
    ["{ \"a\": 'x' }", 1, 8, 'strings must use double quotes'],
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
