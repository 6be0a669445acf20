import { describe, expect, it } from 'vitest'
import { validate } from '../../runtime/validate.js'
import { extractOne, extractProblems } from '../helpers/extract.js'

describe('generic handlers', () => {
  it('a type parameter stands for its constraint, in the type and in the validator', () => {
    const extraction = extractOne({ 'handler.ts': 'export default async function handler<T extends { id: string }>(p: T) {}' })
    const task = extraction.tasks[0]!
    expect(task).toMatchObject({ payloadType: '{ id: string }', payloadOptional: false })
    expect(validate(task.schema, extraction.defs, { id: 'a', more: 1 })).toEqual([])
    expect(validate(task.schema, extraction.defs, { id: 1 })).not.toEqual([])
  })

  it('a constraint that names a type brings its declaration; a parameter used inside a written type is replaced there too', () => {
    const extraction = extractOne({
      'handler.ts': 'export interface Order { id: string }\nexport default async function handler<T extends Order>(p: { order: T; orders: T[] }) {}',
    })
    expect(extraction.tasks[0]!.payloadType).toBe('{ order: Order; orders: Order[] }')
    expect(extraction.declarations).toEqual(['/** From src/handler.ts:1 */\nexport interface Order { id: string }'])
  })

  it('a type parameter without a constraint stands for unknown, so the payload is optional', () => {
    const extraction = extractOne({ 'handler.ts': 'export const handler = async <T>(p: T) => {}' })
    expect(extraction.tasks[0]).toMatchObject({ payloadType: 'unknown', payloadOptional: true, schema: { type: 'unknown' } })
  })

  it('a constraint that includes undefined makes the payload optional', () => {
    expect(extractOne({ 'handler.ts': 'export default async <T extends string | undefined>(p: T) => {}' }).tasks[0]).toMatchObject({
      payloadType: 'string | undefined',
      payloadOptional: true,
    })
  })

  it('a type parameter declared inside the written payload type keeps it as written', () => {
    const extraction = extractOne({ 'handler.ts': "export default async (p: { [K in 'a' | 'b']: K }) => {}" })
    expect(extraction.tasks[0]!.payloadType).toBe("{ [K in 'a' | 'b']: K }")
  })

  it('refuses a type parameter constrained by itself, naming the handler line', () => {
    expect(extractProblems({ 'handler.ts': '\nexport default async function handler<T extends { next?: T }>(p: T) {}' })).toEqual([
      'stacks.orders.tasks.t: the payload type uses T, which is constrained by itself; the client cannot write it (src/handler.ts:2:63)',
    ])
  })
})
