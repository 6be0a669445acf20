import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateInto, runInConsumer, typeCheckConsumer, writeProject, type ClientProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

const FILES = {
  'src/enums.ts': "export enum E { 'a-b' = 'x', \"c d\" = 1, plain = 2, __proto__ = 3 }\n",
  'src/quoted.ts': [
    "import { E } from './enums.js'",
    'function task<P>(example: P, fn: (p: P) => Promise<void>): (p: P) => Promise<void> { return fn }',
    "export default task({ e: E['a-b'], all: E.plain as E } as const, async () => {})",
  ].join('\n'),
  'src/generic.ts': 'export default async function touch<T extends { id: string }, U = number>(p: { item: T; extra: U[] }): Promise<void> {}\n',
  'src/recursive.ts': "export type T = { kind: 'a'; child: T | null } | { kind: 'b' }\nexport default async (p: T | null) => {}\n",
}

describe('a generated client of hostile types', () => {
  let project: ClientProject

  beforeAll(async () => {
    const root = tempDir('client-types')
    const config = writeProject(
      `${root}/project`,
      {
        app: 'shop',
        region: 'us-east-1',
        stacks: { s: { tasks: { quoted: './src/quoted.ts', generic: './src/generic.ts', recursive: './src/recursive.ts' } } },
      },
      FILES,
    )
    project = await generateInto(root, config)
  }, 60_000)

  it('carries enum members by their real names at run time, reverse mapping included', () => {
    const result = runInConsumer(
      project,
      "import { E } from 'client'\nconsole.log(JSON.stringify({ ab: E['a-b'], cd: E['c d'], one: E[1], proto: Object.hasOwn(E, '__proto__') && E.__proto__, three: E[3], quotedKey: \"'a-b'\" in E }))",
    )
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({ ab: 'x', cd: 1, one: 'c d', proto: 3, three: '__proto__', quotedKey: false })
  })

  it('type-checks: quoted enum members, a generic handler as its constraint, a recursive union', () => {
    const source = [
      "import { Task, E, type TaskPayload } from 'client'",
      "export const ab: 'x' = E['a-b']",
      "export const payload: TaskPayload<'s', 'quoted'> = { e: E['a-b'], all: E['c d'] }",
      "export const generic: TaskPayload<'s', 'generic'> = { item: { id: 'i' }, extra: [1] }",
      "export const tree: TaskPayload<'s', 'recursive'> = { kind: 'a', child: { kind: 'a', child: { kind: 'b' } } }",
      'export const run = () => Task.s.recursive(null)',
      '// @ts-expect-error the constraint requires an id',
      "export const noId: TaskPayload<'s', 'generic'> = { item: {}, extra: [] }",
      '// @ts-expect-error U without a constraint is unknown, and T is not',
      "export const wrongItem: TaskPayload<'s', 'generic'> = { item: 1, extra: ['a'] }",
    ].join('\n')
    expect(typeCheckConsumer(project, source)).toEqual({ code: 0, output: '' })
    expect(project.files.get('index.d.ts')).toContain('readonly generic: TaskInvoker<{ item: { id: string }; extra: unknown[] }>')
  }, 60_000)
})
