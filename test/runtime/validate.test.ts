import { describe, expect, it } from 'vitest'
import { prepareInvoke } from '../../runtime/client/invoke.js'
import { TaskInvokeError } from '../../runtime/client/errors.js'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import type { Schema, SchemaDefs } from '../../runtime/schema.js'
import { MAX_ISSUES, MAX_PAYLOAD_DEPTH, validate } from '../../runtime/validate.js'

const ref = (name: string): Schema => ({ type: 'ref', name })
const literal = (value: string): Schema => ({ type: 'literal', value })
const nullable = (s: Schema): Schema => ({ type: 'union', anyOf: [s, { type: 'null' }] })
const required = (properties: Record<string, Schema>): Schema => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, { schema, optional: false }])),
})

/** `interface List { value: number; next: List | null }` */
const LIST: SchemaDefs = { List: required({ value: { type: 'number' }, next: nullable(ref('List')) }) }
/** `type Nested = Nested[]` */
const NESTED: SchemaDefs = { Nested: { type: 'array', items: ref('Nested') } }
/** `type Tree = { child: Tree | null; kind: 'a' } | { child: Tree | null; kind: 'b' }`: the discriminant after the recursive field. */
const TREE_TAG_LAST: SchemaDefs = {
  Tree: {
    type: 'union',
    anyOf: [required({ child: nullable(ref('Tree')), kind: literal('a') }), required({ child: nullable(ref('Tree')), kind: literal('b') })],
  },
}
/** `type Tree = { kind: 'a'; child: Tree | null; n: number } | { kind: 'b'; child: Tree | null; s: string }` */
const TREE_TAG_FIRST: SchemaDefs = {
  Tree: {
    type: 'union',
    anyOf: [
      required({ kind: literal('a'), child: nullable(ref('Tree')), n: { type: 'number' } }),
      required({ kind: literal('b'), child: nullable(ref('Tree')), s: { type: 'string' } }),
    ],
  },
}
/** No discriminant: `type Pair = { left: Pair | null; x: string } | { left: Pair | null; x: number }` */
const PAIR: SchemaDefs = {
  Pair: {
    type: 'union',
    anyOf: [required({ left: nullable(ref('Pair')), x: { type: 'string' } }), required({ left: nullable(ref('Pair')), x: { type: 'number' } })],
  },
}

function list(depth: number): unknown {
  let value: unknown = null
  for (let i = 0; i < depth; i++) value = { value: i, next: value }
  return value
}

function nested(depth: number): unknown {
  let value: unknown[] = []
  for (let i = 1; i < depth; i++) value = [value]
  return value
}

function tree(depth: number, kind: (level: number) => string, leaf: Record<string, unknown> = {}): unknown {
  let value: unknown = null
  for (let level = depth - 1; level >= 0; level--) value = { kind: kind(level), child: value, n: 1, s: 's', ...(value === null ? leaf : {}) }
  return value
}

function pairs(depth: number, bottom: unknown): unknown {
  let value: unknown = null
  for (let level = depth - 1; level >= 0; level--) value = { left: value, x: level === depth - 1 ? bottom : 'x' }
  return value
}

/** The same value, with every object behind a proxy that counts reads: the validator's work, counted without timing it. */
function counted(value: unknown): { value: unknown; reads: () => number } {
  let reads = 0
  const wrap = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v
    const target: Record<string, unknown> = Array.isArray(v) ? (v.map(wrap) as never) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x)]))
    return new Proxy(target, {
      get: (t, key, receiver) => (reads++, Reflect.get(t, key, receiver)),
      getOwnPropertyDescriptor: (t, key) => (reads++, Reflect.getOwnPropertyDescriptor(t, key)),
      has: (t, key) => (reads++, Reflect.has(t, key)),
      ownKeys: (t) => (reads++, Reflect.ownKeys(t)),
    })
  }
  return { value: wrap(value), reads: () => reads }
}

function readsToValidate(schema: Schema, defs: SchemaDefs, value: unknown): number {
  const probe = counted(value)
  validate(schema, defs, probe.value)
  return probe.reads()
}

const path = (...steps: string[]) => ['payload', ...steps].join('')

describe('validate never throws', () => {
  it(`a payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels is one issue at the level past the bound`, () => {
    expect(MAX_PAYLOAD_DEPTH).toBe(1000)
    const issues = validate(ref('List'), LIST, list(10_000))
    expect(issues).toEqual([
      { path: path(...Array<string>(MAX_PAYLOAD_DEPTH).fill('.next')), message: `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels of objects and arrays` },
    ])
    expect(validate(ref('Nested'), NESTED, nested(10_000))).toEqual([
      { path: path(...Array<string>(MAX_PAYLOAD_DEPTH).fill('[0]')), message: `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels of objects and arrays` },
    ])
  })

  it('a payload exactly at the bound passes, one level more does not', () => {
    expect(validate(ref('List'), LIST, list(MAX_PAYLOAD_DEPTH))).toEqual([])
    expect(validate(ref('Nested'), NESTED, nested(MAX_PAYLOAD_DEPTH))).toEqual([])
    expect(validate(ref('Nested'), NESTED, nested(MAX_PAYLOAD_DEPTH + 1))).toHaveLength(1)
    expect(
      validate(
        ref('Tree'),
        TREE_TAG_LAST,
        tree(MAX_PAYLOAD_DEPTH, () => 'b'),
      ),
    ).toEqual([])
  })

  it('a deep payload of a recursive union is an issue, not a RangeError', () => {
    const issues = validate(
      ref('Tree'),
      TREE_TAG_FIRST,
      tree(10_000, (level) => (level % 2 ? 'a' : 'b')),
    )
    expect(issues).toHaveLength(1)
    expect(issues[0]!.message).toBe(`is nested deeper than ${MAX_PAYLOAD_DEPTH} levels of objects and arrays`)
  })

  it('a cyclic object is an issue at the path where the cycle closes', () => {
    const head: { value: number; next: unknown } = { value: 1, next: null }
    head.next = { value: 2, next: head }
    expect(validate(ref('List'), LIST, head)).toEqual([{ path: 'payload.next.next', message: 'refers back to payload: a cycle, which JSON cannot carry' }])
    const loop: unknown[] = []
    loop.push([loop])
    expect(validate(ref('Nested'), NESTED, loop)).toEqual([{ path: 'payload[0][0]', message: 'refers back to payload: a cycle, which JSON cannot carry' }])
    const node: Record<string, unknown> = { kind: 'a', n: 1 }
    node.child = { kind: 'b', s: 's', child: node }
    expect(validate(ref('Tree'), TREE_TAG_FIRST, node)).toEqual([
      { path: 'payload.child.child', message: 'refers back to payload: a cycle, which JSON cannot carry' },
    ])
  })

  it('getters that throw, revoked proxies and proxies whose traps throw are issues', () => {
    const throwing = {
      value: 1,
      get next(): unknown {
        throw new Error('boom')
      },
    }
    expect(validate(ref('List'), LIST, throwing)).toEqual([{ path: 'payload.next', message: 'could not be read: a getter or proxy threw' }])
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(validate(ref('List'), LIST, proxy)).toEqual([{ path: 'payload', message: 'could not be read: a getter or proxy threw' }])
    expect(validate(ref('List'), LIST, { value: 1, next: proxy })).toEqual([{ path: 'payload.next', message: 'could not be read: a getter or proxy threw' }])
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('get')
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('gopd')
        },
        ownKeys: () => {
          throw new Error('keys')
        },
      },
    )
    expect(() => validate(required({ a: { type: 'string' } }), {}, hostile)).not.toThrow()
    expect(validate(required({ a: { type: 'string' } }), {}, hostile)).toEqual([{ path: 'payload.a', message: 'could not be read: a getter or proxy threw' }])
    expect(validate({ type: 'object', properties: {}, additional: { type: 'string' } }, {}, hostile)).toEqual([
      { path: 'payload', message: 'could not be read: a getter or proxy threw' },
    ])
  })

  it('functions, symbols and bigints are described, not thrown on', () => {
    const issues = validate(required({ a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } }), {}, { a: () => 1, b: Symbol('s'), c: 10n })
    expect(issues).toEqual([
      { path: 'payload.a', message: 'expected string, got a function' },
      { path: 'payload.b', message: 'expected string, got a symbol' },
      { path: 'payload.c', message: 'expected string, got bigint 10' },
    ])
  })

  it('fails closed: when the check says no and the detailed walk finds nothing, that is still an issue', () => {
    let reads = 0
    const flaky = {
      value: 1,
      get next() {
        return reads++ === 0 ? 'not a list' : null
      },
    }
    expect(validate(ref('List'), LIST, flaky)).toEqual([
      { path: 'payload', message: 'does not match its type (a getter or proxy gave different values when read again)' },
    ])
  })

  it('a union that refers to itself without an object in between (`type T = T | null`) ends, in the check and in the message', () => {
    const defs: SchemaDefs = {
      T: { type: 'union', anyOf: [ref('T'), { type: 'null' }] },
      U: { type: 'union', anyOf: [ref('V'), { type: 'string' }] },
      V: { type: 'union', anyOf: [ref('U'), { type: 'number' }] },
    }
    expect(validate(ref('T'), defs, null)).toEqual([])
    expect(validate(ref('T'), defs, 5)).toEqual([{ path: 'payload', message: 'expected null, got number 5' }])
    expect(validate(ref('U'), defs, 5)).toEqual([])
    expect(validate(ref('U'), defs, 'x')).toEqual([])
    expect(validate(ref('U'), defs, true)).toEqual([{ path: 'payload', message: 'expected string | number, got boolean true' }])
  })

  it('a call with a too deep or cyclic payload rejects with INVALID_PAYLOAD, also where the type is unknown', () => {
    const manifest: ClientManifest = {
      app: 'shop',
      stage: 'dev',
      region: 'us-east-1',
      defs: LIST,
      stacks: { orders: { list: { payload: ref('List') }, any: { payload: required({ data: { type: 'unknown' } }) } } },
    }
    const codeOf = (task: string, payload: unknown, validate = true) => {
      try {
        prepareInvoke({ manifest, stack: 'orders', task }, payload, { validate })
        return 'sent'
      } catch (error) {
        return error instanceof TaskInvokeError ? error.code : `not a TaskInvokeError: ${String(error)}`
      }
    }
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(codeOf('list', list(10_000))).toBe('INVALID_PAYLOAD')
    expect(codeOf('any', { data: cycle })).toBe('INVALID_PAYLOAD')
    expect(codeOf('any', { data: 10n })).toBe('INVALID_PAYLOAD')
    expect(codeOf('any', { data: cycle }, false)).toBe('INVALID_PAYLOAD')
    expect(codeOf('any', { data: nested(100_000) })).toBe('INVALID_PAYLOAD')
  })
})

describe('what the walk reports', () => {
  it(`lists at most ${MAX_ISSUES} issues, then says there are more`, () => {
    const issues = validate(
      { type: 'array', items: { type: 'number' } },
      {},
      Array.from({ length: 500 }, () => 'x'),
    )
    expect(issues).toHaveLength(MAX_ISSUES + 1)
    expect(issues[0]).toEqual({ path: 'payload[0]', message: 'expected number, got "x"' })
    expect(issues.at(-1)).toEqual({ path: 'payload', message: `has more issues; only the first ${MAX_ISSUES} are listed` })
  })

  it('a hole in an array is checked, as JSON.stringify sends it (as null)', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(validate({ type: 'array', items: { type: 'number' } }, {}, [1, , 3])).toEqual([{ path: 'payload[1]', message: 'expected number, got undefined' }])
  })

  it('a task name that is an Object.prototype member is no task, for the client as for validatePayload', () => {
    const manifest: ClientManifest = {
      app: 'shop',
      stage: 'dev',
      region: 'us-east-1',
      defs: {},
      stacks: { orders: { send: { payload: { type: 'unknown' } } } },
    }
    for (const [stack, task] of [
      ['orders', 'constructor'],
      ['orders', '__proto__'],
      ['constructor', 'name'],
      ['__proto__', 'constructor'],
      ['toString', 'call'],
    ] as const) {
      const error = (() => {
        try {
          return prepareInvoke({ manifest, stack, task }, {}, {})
        } catch (e) {
          return e
        }
      })()
      expect(error, `${stack}.${task}`).toBeInstanceOf(TaskInvokeError)
      expect((error as TaskInvokeError).code).toBe('FUNCTION_NOT_FOUND')
      expect((error as Error).message).toBe(`Task ${stack}.${task}: this client has no such task; regenerate it`)
    }
  })
})

describe('validate is linear in the payload', () => {
  const ratio = (schema: Schema, defs: SchemaDefs, make: (depth: number) => unknown) =>
    readsToValidate(schema, defs, make(20)) / readsToValidate(schema, defs, make(10))

  it('a valid recursive discriminated union with the discriminant after the recursive field', () => {
    expect(
      validate(
        ref('Tree'),
        TREE_TAG_LAST,
        tree(12, () => 'b'),
      ),
    ).toEqual([])
    expect(ratio(ref('Tree'), TREE_TAG_LAST, (depth) => tree(depth, () => 'b'))).toBeLessThan(3)
  })

  it('an invalid recursive discriminated union, checked and reported', () => {
    const bad = (depth: number) => tree(depth, (level) => (level % 2 ? 'a' : 'b'), { n: 'not a number', s: 7 })
    expect(validate(ref('Tree'), TREE_TAG_FIRST, bad(12))).toHaveLength(1)
    expect(ratio(ref('Tree'), TREE_TAG_FIRST, bad)).toBeLessThan(3)
    expect(ratio(ref('Tree'), TREE_TAG_LAST, (depth) => tree(depth, () => 'b', { kind: 'c' }))).toBeLessThan(3)
  })

  it('nested unions without a discriminant, on failure', () => {
    expect(validate(ref('Pair'), PAIR, pairs(12, true))).toHaveLength(1)
    expect(ratio(ref('Pair'), PAIR, (depth) => pairs(depth, true))).toBeLessThan(3)
  })

  it('payloads 60 deep, where the old validator took time exponential in depth, are checked at once', () => {
    expect(
      validate(
        ref('Tree'),
        TREE_TAG_LAST,
        tree(60, () => 'b'),
      ),
    ).toEqual([])
    expect(
      validate(
        ref('Tree'),
        TREE_TAG_FIRST,
        tree(60, (level) => (level % 2 ? 'a' : 'b'), { n: 'x' }),
      ),
    ).toHaveLength(1)
    expect(validate(ref('Pair'), PAIR, pairs(60, true))).toHaveLength(1)
  })

  it('reports the option the value is tagged with, with a path into it', () => {
    expect(
      validate(
        ref('Tree'),
        TREE_TAG_FIRST,
        tree(3, () => 'a', { n: 'x' }),
      ),
    ).toEqual([{ path: 'payload.child.child.n', message: 'expected number, got "x"' }])
    expect(
      validate(
        ref('Tree'),
        TREE_TAG_FIRST,
        tree(3, () => 'a', { kind: 'c' }),
      ),
    ).toEqual([{ path: 'payload.child.child.kind', message: 'expected "a" | "b", got "c"' }])
    expect(validate(ref('Pair'), PAIR, pairs(3, true))).toEqual([{ path: 'payload.left.left.x', message: 'expected string, got boolean true' }])
  })
})

describe('every property name is data', () => {
  const NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf']
  // As the manifest arrives: parsed from JSON, so "__proto__" is an own property like any other.
  const schema = JSON.parse(
    JSON.stringify({ type: 'object', properties: Object.fromEntries(NAMES.map((name) => [name, { schema: { type: 'string' }, optional: false }])) }),
  ) as Schema
  const valid = JSON.parse(JSON.stringify(Object.fromEntries(NAMES.map((name) => [name, 'x'])))) as Record<string, unknown>

  it('each name is required and typed', () => {
    expect(Object.keys((schema as { properties: object }).properties)).toEqual(NAMES)
    expect(validate(schema, {}, valid)).toEqual([])
    for (const name of NAMES) {
      const missing = { ...valid }
      delete missing[name]
      expect(validate(schema, {}, missing), name).toEqual([{ path: `payload.${name}`, message: 'is required' }])
      expect(validate(schema, {}, JSON.parse(JSON.stringify(valid).replace(`"${name}":"x"`, `"${name}":1`))), name).toEqual([
        { path: `payload.${name}`, message: 'expected string, got number 1' },
      ])
    }
  })

  it("an inherited property is not the payload's own, as JSON.stringify does not send it", () => {
    const inherited = Object.create({ constructor: 'x' }) as Record<string, unknown>
    Object.assign(inherited, { __proto__: 'x', hasOwnProperty: 'x', toString: 'x', valueOf: 'x' })
    expect(validate(schema, {}, inherited).map((i) => i.path)).toEqual(['payload.__proto__', 'payload.constructor'])
  })

  it('index signatures see own keys only, "__proto__" among them', () => {
    const record: Schema = { type: 'object', properties: {}, additional: { type: 'number' } }
    expect(validate(record, {}, JSON.parse('{"__proto__": "x", "constructor": 1}'))).toEqual([
      { path: 'payload.__proto__', message: 'expected number, got "x"' },
    ])
    expect(validate(record, {}, Object.create({ inherited: 'x' }))).toEqual([])
  })

  it("a def named like an Object.prototype property is that def, and a missing one is not Object.prototype's", () => {
    const defs = JSON.parse('{"constructor": {"type": "string"}, "__proto__": {"type": "number"}}') as SchemaDefs
    expect(validate(required({ a: ref('constructor'), b: ref('__proto__') }), defs, { a: 'x', b: 1 })).toEqual([])
    expect(validate(required({ a: ref('constructor'), b: ref('__proto__') }), defs, { a: 1, b: 'x' })).toHaveLength(2)
    expect(() => validate(ref('toString'), defs, 1)).toThrow('task-gen: the validator has no schema named toString')
  })
})
