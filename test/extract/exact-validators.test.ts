import { describe, expect, it } from 'vitest'
import { inMemoryHandlerProject } from '../../generator/extract/project.js'
import { validate } from '../../runtime/validate.js'
import { extractOne, extractProblems } from '../helpers/extract.js'

/** The validator of the payload type `type`, as the issues' paths. */
function validatorOf(type: string): (value: unknown) => string[] {
  const extraction = extractOne({ 'handler.ts': `export default async (p: ${type}) => {}` })
  const { schema } = extraction.tasks[0]!
  return (value) => validate(schema, extraction.defs, value).map((issue) => issue.path)
}

describe('validators exact for the types the client declares', () => {
  it('match a template literal type as TypeScript does, value by value', () => {
    const templates = [
      '`user-${string}`',
      '`${number}px`',
      "`${'a' | 'b'}-${number}`",
      '`${number}${string}`',
      '`${string}.${string}`',
      '`${bigint}n`',
      '`<${string}>`',
    ]
    const samples = [
      'user-1',
      'user-',
      'user',
      'xuser-1',
      '3px',
      '-1.5e3px',
      'px',
      'apx',
      ' 3px',
      'a-1',
      'b-2.5',
      'c-1',
      'a-',
      '12',
      '1',
      '',
      'x.y',
      '.',
      'x',
      '10n',
      '1.5n',
      '-3n',
      '<>',
      '<a>',
      '<a',
    ]
    const project = inMemoryHandlerProject({})
    for (const template of templates) {
      const source = samples.map((s, i) => `export const v${i}: ${template} = ${JSON.stringify(s)}`).join('\n')
      const file = project.createSourceFile(`/check-${templates.indexOf(template)}.ts`, source)
      const failing = new Set(file.getPreEmitDiagnostics().map((d) => file.getLineAndColumnAtPos(d.getStart()!).line - 1))
      const check = validatorOf(`{ t: ${template} }`)
      for (const [i, sample] of samples.entries()) expect(check({ t: sample }), `${sample} as ${template}`).toEqual(failing.has(i) ? ['payload.t'] : [])
    }
  })

  it('say what a template literal type expects', () => {
    const extraction = extractOne({ 'handler.ts': 'export default async (p: { id: `user-${string}` }) => {}' })
    expect(validate(extraction.tasks[0]!.schema, extraction.defs, { id: 'x' })).toEqual([
      { path: 'payload.id', message: 'expected a string of the form `user-${string}`, got "x"' },
    ])
  })

  it('take `object` as any value that is not a primitive', () => {
    const check = validatorOf('{ o: object }')
    expect([{}, [], { a: 1 }].map((o) => check({ o }))).toEqual([[], [], []])
    expect([1, 'x', null, true].map((o) => check({ o }))).toEqual([['payload.o'], ['payload.o'], ['payload.o'], ['payload.o']])
  })

  it('let a required property whose type includes undefined be absent, as JSON drops it, and still check its value', () => {
    const check = validatorOf('{ authorizer: undefined | null | { id: string }; v: void | number; u: unknown; name: string }')
    expect(check({ name: 'n' })).toEqual([])
    expect(check({ name: 'n', authorizer: null, v: 1, u: 2 })).toEqual([])
    expect(check({ name: 'n', authorizer: { id: 1 } })).toEqual(['payload.authorizer.id'])
    expect(check({ authorizer: null })).toEqual(['payload.name'])
  })

  it('refuse a property keyed by a unique symbol as JSON-unsafe', () => {
    expect(extractProblems({ 'handler.ts': 'declare const k: unique symbol\nexport default async (p: { [k]?: string; a: string }) => {}' })).toEqual([
      'stacks.orders.tasks.t: payload[k] is keyed by a symbol, which JSON drops (src/handler.ts:2:28)',
    ])
  })
})
