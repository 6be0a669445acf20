import { describe, expect, it } from 'vitest'
import { describeType, describeValue, printable, quote } from '../../generator/errors/describe-value.js'
import { formatProblem } from '../../generator/errors/format-problems.js'
import { formatPath } from '../../generator/errors/problem.js'

/** Text that a terminal would not show as it is: line breaks, ESC, C1 CSI, separators, bidi controls, a lone surrogate. */
const HOSTILE = 'a\nb\r\u001b[31m\u009b\u2028\u2029\u202e\u2066\ud800z'

describe('text from the config in messages', () => {
  it('is quoted on one line, every character a terminal acts on escaped', () => {
    expect(quote(HOSTILE)).toBe('"a\\nb\\r\\u001b[31m\\u009b\\u2028\\u2029\\u202e\\u2066\\ud800z"')
    expect(quote('say "hi" \\ 🚀 é')).toBe('"say \\"hi\\" \\\\ 🚀 é"')
  })

  it('is shortened to about 60 characters, without splitting a surrogate pair', () => {
    expect(quote('x'.repeat(1000))).toBe(`"${'x'.repeat(57)}..."`)
    expect(quote(`${'x'.repeat(56)}🚀🚀🚀`)).toBe(`"${'x'.repeat(56)}..."`)
    expect(quote('x'.repeat(1000), Infinity)).toHaveLength(1002)
  })

  it('keeps printable text as it is', () => {
    expect(printable('stacks.orders: got "🚀 é ｓｈｏｐ" (task-gen.json:1:2)')).toBe('stacks.orders: got "🚀 é ｓｈｏｐ" (task-gen.json:1:2)')
    expect(printable(HOSTILE)).not.toMatch(/[\n\r\u001b\u009b\u2028\u2029\u202e\u2066\ud800]/)
  })

  it('describes numbers JSON cannot write, and types without their value', () => {
    expect(describeValue(Number('1e400'))).toBe('a number too large for JSON')
    expect(describeValue(-0)).toBe('0')
    expect(describeValue(2 ** 53 + 1)).toBe('9007199254740992')
    expect(describeValue('abc')).toBe('"abc"')
    expect(describeValue([1])).toBe('a list')
    expect(['x', 1, true, null, [], {}, undefined].map(describeType)).toEqual(['a string', 'a number', 'a boolean', 'null', 'a list', 'an object', 'nothing'])
  })
})

describe('a printed problem', () => {
  it('is one line whatever its path and message hold', () => {
    const problem = {
      code: 'file_not_found' as const,
      path: formatPath(['stacks', HOSTILE]),
      message: `handler file ${HOSTILE} not found`,
      location: { file: `/p/${HOSTILE}/task-gen.json`, line: 1, column: 2 },
    }
    const line = formatProblem(problem, '/p')
    expect(line.split(/[\n\r\u2028\u2029]/)).toHaveLength(1)
    expect(line).toBe(
      'stacks["a\\nb\\r\\u001b[31m\\u009b\\u2028\\u2029\\u202e\\u2066\\ud800z"]: handler file a\\u000ab\\u000d\\u001b[31m\\u009b\\u2028\\u2029\\u202e\\u2066\\ud800z not found (a\\u000ab\\u000d\\u001b[31m\\u009b\\u2028\\u2029\\u202e\\u2066\\ud800z/task-gen.json:1:2)',
    )
  })
})
