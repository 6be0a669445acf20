import { describe, expect, it } from 'vitest'
import { validate } from '../../runtime/validate.js'
import { extractOne, extractProblems } from '../helpers/extract.js'

describe('enums in payload types', () => {
  it('refuses members computed at run time and members that are not finite, each at its line, all at once', () => {
    const source = [
      'export enum Size {',
      '  Ok = 1,',
      "  Computed = 'abc'.length,",
      '  Infinite = 1 / 0,',
      '  NotANumber = 0 / 0,',
      '  NegativeInfinite = -1 / 0,',
      '}',
      'export default async (p: { size: Size }) => {}',
    ].join('\n')
    expect(extractProblems({ 'handler.ts': source })).toEqual([
      "stacks.orders.tasks.t: the enum member Size.Computed = 'abc'.length is computed at run time; the client needs its value: write it as a number or string (src/handler.ts:3:3)",
      'stacks.orders.tasks.t: the enum member Size.Infinite = 1 / 0 is Infinity, which JSON writes as null; use a finite number (src/handler.ts:4:3)',
      'stacks.orders.tasks.t: the enum member Size.NotANumber = 0 / 0 is NaN, which JSON writes as null; use a finite number (src/handler.ts:5:3)',
      'stacks.orders.tasks.t: the enum member Size.NegativeInfinite = -1 / 0 is -Infinity, which JSON writes as null; use a finite number (src/handler.ts:6:3)',
    ])
  })

  it('refuses a member computed from a function call in another file, naming that file', () => {
    const problems = extractProblems({
      'kinds.ts': 'const base = () => 4\nexport enum Kind {\n  A = base(),\n}\n',
      'handler.ts': "import { Kind } from './kinds.js'\nexport default async (p: { kind: Kind }) => {}",
    })
    expect(problems).toEqual([
      'stacks.orders.tasks.t: the enum member Kind.A = base() is computed at run time; the client needs its value: write it as a number or string (src/kinds.ts:3:3)',
    ])
  })

  it('refuses a non-finite number literal type', () => {
    expect(extractProblems({ 'handler.ts': 'export default async (p: { big: 1e999 }) => {}' })).toEqual([
      'stacks.orders.tasks.t: payload.big is the number Infinity, which JSON writes as null (src/handler.ts:1:28)',
    ])
  })

  it('keeps members TypeScript folds itself: shifts, members of members, templates of string members', () => {
    const source = [
      'export enum Flags { None = 0, Read = 1 << 0, Write = 1 << 1, Both = Read | Write, Shifted = Both << 2, Minus = -Both }',
      "export enum Label { Prefix = 'task', Full = `${Prefix}-gen` }",
      'export default async (p: { flags: Flags; label: Label }) => {}',
    ].join('\n')
    const extraction = extractOne({ 'handler.ts': source })
    expect(extraction.enums).toEqual([
      {
        name: 'Flags',
        members: [
          { name: 'None', value: 0 },
          { name: 'Read', value: 1 },
          { name: 'Write', value: 2 },
          { name: 'Both', value: 3 },
          { name: 'Shifted', value: 12 },
          { name: 'Minus', value: -3 },
        ],
      },
      {
        name: 'Label',
        members: [
          { name: 'Prefix', value: 'task' },
          { name: 'Full', value: 'task-gen' },
        ],
      },
    ])
    expect(extraction.declarations).toEqual([
      '/** From src/handler.ts:1 */\nexport declare enum Flags {\n  None = 0,\n  Read = 1,\n  Write = 2,\n  Both = 3,\n  Shifted = 12,\n  Minus = -3,\n}',
      "/** From src/handler.ts:2 */\nexport declare enum Label {\n  Prefix = 'task',\n  Full = 'task-gen',\n}",
    ])
    const task = extraction.tasks[0]!
    expect(validate(task.schema, extraction.defs, { flags: 12, label: 'task-gen' })).toEqual([])
    expect(validate(task.schema, extraction.defs, { flags: 4, label: 'task-gen' })).not.toEqual([])
  })

  it('names quoted members by their real names, in the values, the declaration and the printed types', () => {
    const source = [
      "export enum E { 'a-b' = 'x', \"c d\" = 1, plain = 2, __proto__ = 3 }",
      'function task<P>(example: P, fn: (p: P) => Promise<void>): (p: P) => Promise<void> { return fn }',
      "export default task({ e: E['a-b'], f: E.plain } as const, async () => {})",
    ].join('\n')
    const extraction = extractOne({ 'handler.ts': source })
    expect(extraction.enums).toEqual([
      {
        name: 'E',
        members: [
          { name: 'a-b', value: 'x' },
          { name: 'c d', value: 1 },
          { name: 'plain', value: 2 },
          { name: '__proto__', value: 3 },
        ],
      },
    ])
    expect(extraction.declarations).toEqual([
      "/** From src/handler.ts:1 */\nexport declare enum E {\n  'a-b' = 'x',\n  'c d' = 1,\n  plain = 2,\n  __proto__ = 3,\n}",
    ])
    expect(extraction.tasks[0]!.payloadType).toBe("{ e: (typeof E)['a-b']; f: E.plain }")
  })
})
