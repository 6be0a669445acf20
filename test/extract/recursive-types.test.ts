import { describe, expect, it } from 'vitest'
import { validate } from '../../runtime/validate.js'
import { extractOne, extractProblems } from '../helpers/extract.js'

/** The extracted task's validator: the issues of a value, [] when it matches. */
function validatorOf(files: Record<string, string>): { payloadType: string; check: (value: unknown) => unknown[] } {
  const extraction = extractOne(files)
  const task = extraction.tasks[0]!
  return { payloadType: task.payloadType, check: (value) => validate(task.schema, extraction.defs, value) }
}

/** A value nested `depth` levels through `wrap`. */
function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = wrap(value)
  return value
}

describe('recursive payload types', () => {
  it('a union alias whose member refers to the alias through `| null` (TypeScript flattens it into a union without the name)', () => {
    const { check } = validatorOf({ 'handler.ts': "type T = { kind: 'a'; child: T | null } | { kind: 'b' }\nexport default async (p: T) => {}" })
    expect(check(nested(5, { kind: 'b' }, (child) => ({ kind: 'a', child })))).toEqual([])
    expect(check({ kind: 'a', child: null })).toEqual([])
    expect(check(nested(5, { kind: 'c' }, (child) => ({ kind: 'a', child })))).not.toEqual([])
    expect(check({ kind: 'a' })).not.toEqual([])
  })

  it('an optional recursive member (`child?: T`, flattened with undefined)', () => {
    const { check } = validatorOf({ 'handler.ts': "type T = { kind: 'a'; child?: T } | { kind: 'b' }\nexport default async (p: T) => {}" })
    expect(check({ kind: 'a', child: { kind: 'a', child: { kind: 'b' } } })).toEqual([])
    expect(check({ kind: 'a' })).toEqual([])
    expect(check({ kind: 'a', child: { kind: 'a', child: { kind: 'x' } } })).not.toEqual([])
  })

  it('recursion through arrays: elements of `(T | null)[]`, and a JSON value type', () => {
    const list = validatorOf({ 'handler.ts': "type T = { kind: 'a'; children: (T | null)[] } | { kind: 'b' }\nexport default async (p: T) => {}" })
    expect(list.check({ kind: 'a', children: [null, { kind: 'b' }, { kind: 'a', children: [] }] })).toEqual([])
    expect(list.check({ kind: 'a', children: [{ kind: 'a', children: [1] }] })).not.toEqual([])

    const json = validatorOf({
      'handler.ts': 'type Json = string | number | boolean | null | Json[] | { [key: string]: Json }\nexport default async (p: { data: Json }) => {}',
    })
    expect(json.check({ data: { a: [1, 'x', { b: [null, true] }] } })).toEqual([])
    expect(json.check({ data: { a: [1, { b: [undefined] }] } })).not.toEqual([])
  })

  it('mutual recursion between an interface and a type alias', () => {
    const { check } = validatorOf({
      'handler.ts': [
        'interface Folder { name: string; entries: Entry[]; parent: Entry | null }',
        "type Entry = { kind: 'file'; name: string } | { kind: 'folder'; folder: Folder; next: Entry | null }",
        'export default async (p: Folder) => {}',
      ].join('\n'),
    })
    const folder = (entries: unknown[]) => ({ name: 'f', entries, parent: null })
    expect(check(folder([{ kind: 'folder', folder: folder([{ kind: 'file', name: 'x' }]), next: { kind: 'file', name: 'y' } }]))).toEqual([])
    expect(check(folder([{ kind: 'folder', folder: folder([{ kind: 'file' }]), next: null }]))).not.toEqual([])
  })

  it('recursion through an intersection that TypeScript distributes over the union', () => {
    const { check } = validatorOf({
      'handler.ts': "type I = ({ kind: 'a'; child: I | null } | { kind: 'b' }) & { id: string }\nexport default async (p: I) => {}",
    })
    expect(check({ id: '1', kind: 'a', child: { id: '2', kind: 'a', child: { id: '3', kind: 'b' } } })).toEqual([])
    expect(check({ id: '1', kind: 'a', child: { kind: 'b' } })).not.toEqual([])
  })

  it('recursion through a generic instantiation', () => {
    const { check } = validatorOf({
      'handler.ts': "type G<X> = { kind: 'a'; value: X; child: G<X> | null } | { kind: 'b' }\nexport default async (p: G<string>) => {}",
    })
    expect(check({ kind: 'a', value: 'v', child: { kind: 'a', value: 'w', child: { kind: 'b' } } })).toEqual([])
    expect(check({ kind: 'a', value: 'v', child: { kind: 'a', value: 1, child: null } })).not.toEqual([])
  })

  it('a recursive type as a generic argument and in a payload without a written type is printed by its name', () => {
    const source = [
      "type T = { kind: 'a'; child: T | null } | { kind: 'b' }",
      'interface Box<V> { value: V }',
      'function withLogging<P>(fn: (p: P) => Promise<void>): (p: P) => Promise<void> { return fn }',
      'export default withLogging(async (p: { box: Box<T | null>; list: (T | null)[] | undefined }) => {})',
    ].join('\n')
    const extraction = extractOne({ 'handler.ts': source })
    expect(extraction.tasks[0]!.payloadType).toBe('{ box: Box<T | null>; list: (T | null)[] | undefined }')
    expect(extraction.declarations).toEqual([
      '/** From src/handler.ts:2 */\nexport interface Box<V> { value: V }',
      "/** From src/handler.ts:1 */\nexport type T = { kind: 'a'; child: T | null } | { kind: 'b' }",
    ])
  })

  it('a recursion through a class ends with the class problem', () => {
    const source = 'class Node { next: Node | null = null }\ninterface Box<V> { value: V }\nexport default async (p: { box: Box<Node> }) => {}'
    expect(extractProblems({ 'handler.ts': source })).toEqual([
      'stacks.orders.tasks.t: the payload type refers to class Node; a payload type must be an interface or type alias (class instances do not survive JSON) (src/handler.ts:1:1)',
    ])
  })

  it('a generic type that expands without end is refused, not built forever', () => {
    const source = 'type Deep<X> = { a: Deep<X[]>; b: Deep<X[]> }\nexport default async (p: Deep<string>) => {}'
    expect(extractProblems({ 'handler.ts': source })).toEqual([
      expect.stringMatching(
        /^stacks\.orders\.tasks\.t: .*nests more than 100 types deep \(a generic type that expands without end\?\).* \(src\/handler\.ts:\d+:\d+\)$/,
      ),
    ])
  })
})
