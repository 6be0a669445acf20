import { describe, expect, it } from 'vitest'
import { printProjectNotes } from '../../generator/cli/project-notes.js'
import { formatProblem } from '../../generator/errors/format-problems.js'
import { extractOne, extractProblems } from '../helpers/extract.js'

const ORDER = `export interface Order { id: string; total: number }\n`

function payloadOf(files: Record<string, string>, handler?: string) {
  const [task] = extractOne(files, handler).tasks
  return { type: task!.payloadType, optional: task!.payloadOptional }
}

describe('finding the handler', () => {
  it('takes the default export, a function declaration', () => {
    expect(payloadOf({ 'handler.ts': `${ORDER}export default async function run(order: Order) {}` })).toEqual({ type: 'Order', optional: false })
  })

  it('takes the export named by `handler` over the default export', () => {
    const source = `${ORDER}export default async (x: { other: boolean }) => {}\nexport const run = async (order: Order) => {}`
    expect(payloadOf({ 'handler.ts': source }, 'run')).toEqual({ type: 'Order', optional: false })
  })

  it('falls back to the export named handler', () => {
    expect(payloadOf({ 'handler.ts': `${ORDER}export const handler = async (order: Order): Promise<void> => {}` })).toEqual({ type: 'Order', optional: false })
  })

  it('takes the type from an annotated const', () => {
    const source = `${ORDER}type Handler<P> = (payload: P, context: { awsRequestId: string }) => Promise<void>\nexport const handler: Handler<Order> = async (p) => {}`
    expect(payloadOf({ 'handler.ts': source })).toEqual({ type: 'Order', optional: false })
  })

  it('takes the type of a wrapped handler from the exported value', () => {
    const source = `${ORDER}function withLogging<P>(fn: (p: P) => Promise<void>): (p: P) => Promise<void> { return fn }\nexport default withLogging(async (order: Order) => {})`
    expect(payloadOf({ 'handler.ts': source })).toEqual({ type: 'Order', optional: false })
  })

  it('leaves a second (context) parameter out', () => {
    expect(payloadOf({ 'handler.ts': `${ORDER}export default async (order: Order, context: { awsRequestId: string }) => {}` })).toEqual({
      type: 'Order',
      optional: false,
    })
  })

  it('a handler without parameters takes no payload', () => {
    const extraction = extractOne({ 'handler.ts': 'export default async () => {}' })
    expect(extraction.tasks[0]).toMatchObject({ payloadType: 'undefined', payloadOptional: true, schema: { type: 'undefined' } })
  })

  it.each(['unknown', 'any'])('an %s payload is optional and any JSON value', (type) => {
    const extraction = extractOne({ 'handler.ts': `export default async (p: ${type}) => {}` })
    expect(extraction.tasks[0]).toMatchObject({ payloadType: 'unknown', payloadOptional: true, schema: { type: 'unknown' } })
  })

  it('an optional parameter makes the payload optional', () => {
    expect(payloadOf({ 'handler.ts': `${ORDER}export default async (order?: Order) => {}` })).toEqual({ type: 'Order', optional: true })
  })

  it('names the file, line and exports when the export is missing', () => {
    expect(extractProblems({ 'handler.ts': 'export const a = 1\nexport function b() {}' }, 'run')).toEqual([
      'stacks.orders.tasks.t: handler.ts has no export named "run" (its exported values: a, b) (src/handler.ts:1:1)',
    ])
    expect(extractProblems({ 'handler.ts': 'export const other = async () => {}' })).toEqual([
      'stacks.orders.tasks.t: handler.ts has no default export and no export named "handler" (its exported values: other) (src/handler.ts:1:1)',
    ])
  })

  it('lists only exported values, never types, when the export is missing', () => {
    const source = `${ORDER}export type Id = string\nexport enum Kind { A }\nexport { type Order as O }\nexport const run = async (order: Order) => {}`
    expect(extractProblems({ 'handler.ts': source }, 'go')).toEqual([
      'stacks.orders.tasks.t: handler.ts has no export named "go" (its exported values: Kind, run) (src/handler.ts:1:1)',
    ])
    expect(extractProblems({ 'handler.ts': ORDER }, 'go')).toEqual([
      'stacks.orders.tasks.t: handler.ts has no export named "go" (it exports no values) (src/handler.ts:1:1)',
    ])
  })

  it('warns when the payload parameter has no type, and only then', () => {
    const warnings = (source: string) => extractOne({ 'handler.ts': source }).warnings.map((w) => formatProblem(w, '/project'))
    expect(warnings('export default async (order) => {}')).toEqual([
      'stacks.orders.tasks.t: the handler\'s parameter "order" has no type, so its payload is `unknown` (any JSON value); write its type (src/handler.ts:1:23)',
    ])
    expect(warnings('export default async (order: unknown) => {}')).toEqual([])
    expect(warnings(`${ORDER}type Handler<P> = (payload: P) => Promise<void>\nexport const handler: Handler<Order> = async (p) => {}`)).toEqual([])
    expect(warnings('export default async () => {}')).toEqual([])
  })

  it('refuses an export that is not a function', () => {
    expect(extractProblems({ 'handler.ts': '\nexport const handler = { run: 1 }' })).toEqual([
      'stacks.orders.tasks.t: the export "handler" is not a function (its type is { run: number; }) (src/handler.ts:2:14)',
    ])
  })

  it('refuses a callback-style handler, at its callback parameter: the wrapper passes no callback, in dev and deployed', () => {
    const message =
      'the handler "handler" takes a third parameter "callback": callback-style handlers are not supported (the task wrapper passes no callback and awaits the result); make it async and return the result'
    expect(
      extractProblems({
        'handler.ts':
          'export function handler(event: { id: string }, context: unknown,\n  callback: (error: Error | null, result?: string) => void): void {\n  callback(null, event.id)\n}',
      }),
    ).toEqual([`stacks.orders.tasks.t: ${message} (src/handler.ts:2:3)`])
  })
})

describe('inlining types', () => {
  it('emits every named type a payload uses, across files, with JSDoc', () => {
    const extraction = extractOne({
      'types/money.ts': '/** Cents. */\nexport interface Money {\n  /** In cents. */\n  amount: number\n}\n',
      'types/order.ts':
        "import type { Money } from './money.js'\nexport interface Line { sku: string; price: Money }\nexport interface Order { lines: Line[]; note?: import('./money.js').Money }\n",
      'handler.ts': "import type { Order } from './types/order.js'\nexport default async (order: Order) => {}",
    })
    expect(extraction.declarations).toEqual([
      '/** From src/types/order.ts:3 */\nexport interface Order { lines: Line[]; note?: Money }',
      '/** From src/types/order.ts:2 */\nexport interface Line { sku: string; price: Money }',
      '/**\n * Cents.\n *\n * From src/types/money.ts:2\n */\nexport interface Money {\n  /** In cents. */\n  amount: number\n}',
    ])
  })

  it("writes the rename note inside the renamed type's own JSDoc, one block that editors show on hover", () => {
    const extraction = extractOne({
      'a/item.ts': 'export interface Item { a: string }',
      'b/item.ts': '/** An item of the other kind. */\nexport enum Item { B = 1 }',
      'handler.ts':
        "import type { Item } from './a/item.js'\nimport { Item as Other } from './b/item.js'\nexport default async (p: { first: Item; second: Other }) => {}",
    })
    expect(extraction.declarations).toContain(
      '/**\n * An item of the other kind.\n *\n * task-gen: renamed from Item (src/b/item.ts): another exported type has that name.\n *\n * From src/b/item.ts:2\n */\nexport declare enum Item_2 {\n  B = 1,\n}',
    )
  })

  it('renames a second type of the same name, deterministically and visibly', () => {
    const files = {
      'a/item.ts': 'export interface Item { a: string }',
      'b/item.ts': 'export interface Item { b: number }',
      'handler.ts':
        "import type { Item } from './a/item.js'\nimport type { Item as Other } from './b/item.js'\nexport default async (p: { first: Item; second: Other }) => {}",
    }
    const extraction = extractOne(files)
    expect(extraction.tasks[0]!.payloadType).toBe('{ first: Item; second: Item_2 }')
    expect(extraction.declarations).toEqual([
      '/** From src/a/item.ts:1 */\nexport interface Item { a: string }',
      '/**\n * task-gen: renamed from Item (src/b/item.ts): another exported type has that name.\n *\n * From src/b/item.ts:1\n */\nexport interface Item_2 { b: number }',
    ])
    expect(extractOne(files).declarations).toEqual(extraction.declarations)
    expect(extraction.renamed).toEqual([{ originalName: 'Item', name: 'Item_2', file: 'src/b/item.ts' }])
    const printed: string[] = []
    printProjectNotes({ stdout: () => {}, stderr: (line) => printed.push(line) }, extraction)
    expect(printed).toEqual(['note: the type Item of src/b/item.ts is Item_2 in the client: the name Item is taken there'])
  })

  it('renames a type that has the name of the client API or of a standard type the output uses', () => {
    const extraction = extractOne({
      'handler.ts':
        'interface Task { id: string }\ninterface Partial { x: 1 }\nexport default async (p: { task: Task; patch: globalThis.Partial<Task> }) => {}',
    })
    expect(extraction.declarations[0]).toContain('export interface Task_2 { id: string }')
  })

  it('keeps standard-library types as they are', () => {
    const extraction = extractOne({
      'handler.ts': `${ORDER}export default async (p: Partial<Order> & { tags: Record<string, string[]>; pick: Pick<Order, 'id'> }) => {}`,
    })
    expect(extraction.tasks[0]!.payloadType).toBe("Partial<Order> & { tags: Record<string, string[]>; pick: Pick<Order, 'id'> }")
    expect(extraction.declarations).toEqual(['/** From src/handler.ts:1 */\nexport interface Order { id: string; total: number }'])
  })

  it('emits enums with their values, usable at run time', () => {
    const extraction = extractOne({
      'handler.ts':
        'export enum Level { Low = 1, High = 5 }\nexport const enum Kind { A = "a" }\nexport default async (p: { level: Level; kind: Kind.A }) => {}',
    })
    expect(extraction.tasks[0]!.payloadType).toBe('{ level: Level; kind: Kind.A }')
    expect(extraction.enums).toEqual([
      {
        name: 'Level',
        members: [
          { name: 'Low', value: 1 },
          { name: 'High', value: 5 },
        ],
      },
      { name: 'Kind', members: [{ name: 'A', value: 'a' }] },
    ])
    expect(extraction.declarations).toEqual([
      '/** From src/handler.ts:1 */\nexport declare enum Level {\n  Low = 1,\n  High = 5,\n}',
      "/** From src/handler.ts:2 */\nexport declare enum Kind {\n  A = 'a',\n}",
    ])
  })

  it('keeps generic declarations and their instantiations', () => {
    const extraction = extractOne({
      'handler.ts': 'interface Page<T> { items: T[]; next?: string }\ninterface Row { id: number }\nexport default async (p: Page<Row>) => {}',
    })
    expect(extraction.tasks[0]!.payloadType).toBe('Page<Row>')
    expect(extraction.declarations).toEqual([
      '/** From src/handler.ts:1 */\nexport interface Page<T> { items: T[]; next?: string }',
      '/** From src/handler.ts:2 */\nexport interface Row { id: number }',
    ])
    expect(extraction.defs['Page<Row>']).toEqual({
      type: 'object',
      properties: {
        items: { schema: { type: 'array', items: { type: 'ref', name: 'Row' } }, optional: false },
        next: { schema: { type: 'string' }, optional: true },
      },
    })
  })

  it('handles recursive types through named schema definitions', () => {
    const extraction = extractOne({ 'handler.ts': 'interface Tree { name: string; children: Tree[] }\nexport default async (p: Tree) => {}' })
    expect(extraction.defs.Tree).toEqual({
      type: 'object',
      properties: {
        name: { schema: { type: 'string' }, optional: false },
        children: { schema: { type: 'array', items: { type: 'ref', name: 'Tree' } }, optional: false },
      },
    })
  })

  it('keeps properties and types named like Object.prototype members, __proto__ among them, as their own entries', () => {
    const extraction = extractOne({
      'handler.ts': 'interface constructor { id: string }\nexport default async (p: { __proto__: string; toString: constructor }) => {}',
    })
    const schema = extraction.tasks[0]!.schema as { properties: Record<string, unknown> }
    expect(Object.keys(schema.properties)).toEqual(['__proto__', 'toString'])
    expect(schema.properties['__proto__']).toEqual({ schema: { type: 'string' }, optional: false })
    expect(Object.keys(extraction.defs)).toEqual(['constructor'])
    expect(extraction.defs['constructor']).toEqual({ type: 'object', properties: { id: { schema: { type: 'string' }, optional: false } } })
  })

  it('prints a type alias that uses typeof from its resolved type', () => {
    const extraction = extractOne({
      'handler.ts': "const STATUSES = ['new', 'paid'] as const\ntype Status = (typeof STATUSES)[number]\nexport default async (p: { status: Status }) => {}",
    })
    expect(extraction.declarations).toEqual(["/** From src/handler.ts:2 */\nexport type Status = 'new' | 'paid'"])
  })

  it('writes a payload that has no written type from the checker', () => {
    const source =
      'type Handler<P> = (p: P) => Promise<void>\nexport const handler: Handler<{ id: string; tags?: string[]; flag: boolean; at: [number, string?] }> = async () => {}'
    expect(payloadOf({ 'handler.ts': source })).toEqual({ type: '{ id: string; tags?: string[]; flag: boolean; at: [number, string?] }', optional: false })
  })
})

describe('JSON safety', () => {
  it.each([
    [
      'Date',
      'interface Line { addedAt: Date }\nexport default async (p: { items: Line[] }) => {}',
      'payload.items[].addedAt is Date, which arrives as a string; use an ISO string (src/handler.ts:1:18)',
    ],
    [
      'Map',
      'export default async (p: {\n  index: Map<string, number> }) => {}',
      'payload.index is Map, which arrives as {}; use an object or an array of [key, value] pairs (src/handler.ts:2:3)',
    ],
    ['Set', 'export default async (p: { tags: Set<string> }) => {}', 'payload.tags is Set, which arrives as {}; use an array (src/handler.ts:1:28)'],
    [
      'bigint',
      'export default async (p: { big: bigint }) => {}',
      'payload.big is bigint, which JSON.stringify cannot write; use a string or a number (src/handler.ts:1:28)',
    ],
    ['a function', 'export default async (p: { done: () => void }) => {}', 'payload.done is a function, which JSON drops (src/handler.ts:1:28)'],
    [
      'a method',
      'interface P { id: string; format(): string }\nexport default async (p: P) => {}',
      'payload.format is a function, which JSON drops (src/handler.ts:1:27)',
    ],
    ['a symbol', 'export default async (p: { key: symbol }) => {}', 'payload.key is a symbol, which JSON drops (src/handler.ts:1:28)'],
    [
      'a class',
      'class Money { constructor(public cents: number) {} add() {} }\nexport default async (p: { total: Money }) => {}',
      'payload.total is an instance of class Money, which arrives as a plain object without its methods; use an interface (src/handler.ts:2:28)',
    ],
    [
      'undefined in an array',
      'export default async (p: { ids: (string | undefined)[] }) => {}',
      'payload.ids is an array that may hold undefined, which JSON writes as null; use null (src/handler.ts:1:28)',
    ],
    ['a Date payload', 'export default async (p: Date) => {}', 'payload is Date, which arrives as a string; use an ISO string (src/handler.ts:1:23)'],
  ])('refuses %s, naming the task, the path and the line', (_name, source, message) => {
    expect(extractProblems({ 'handler.ts': source })).toEqual([`stacks.orders.tasks.t: ${message}`])
  })

  it('reports every unsafe value at once', () => {
    expect(extractProblems({ 'handler.ts': 'export default async (p: { a: Date; b: bigint }) => {}' })).toHaveLength(2)
  })
})
