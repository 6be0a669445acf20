import { describe, expect, it } from 'vitest'
import { extractTypes } from '../../generator/extract/extract.js'
import { inMemoryHandlerProject } from '../../generator/extract/project.js'
import { CLIENT_API_NAMES } from '../../generator/emit/client-files.js'
import { formatProblem } from '../../generator/errors/format-problems.js'
import { UserError } from '../../generator/errors/problem.js'
import { loadInMemory, minimalConfig } from '../helpers/project.js'

/** The problems of an app whose tasks a and b have the handlers given, beside src/shared.ts. */
function problemsOfTwoTasks(shared: string, a: string, b: string): string[] {
  const model = loadInMemory(minimalConfig({ stacks: { orders: { tasks: { a: './src/a.ts', b: './src/b.ts' } } } }))
  const project = inMemoryHandlerProject({ '/project/src/shared.ts': shared, '/project/src/a.ts': a, '/project/src/b.ts': b })
  try {
    extractTypes(model, project, CLIENT_API_NAMES)
  } catch (error) {
    if (error instanceof UserError) return error.problems.map((p) => formatProblem(p, '/project'))
    throw error
  }
  return []
}

describe('a declaration that two tasks reach', () => {
  it('is reported for both, at each payload’s own path', () => {
    const shared = 'export interface Shared { at: Date }\nexport class C { m(): void {} }\nexport interface Holder { c: C }\n'
    const problems = problemsOfTwoTasks(
      shared,
      "import type { Shared, Holder } from './shared.js'\nexport default async (p: { s: Shared; h: Holder }) => {}",
      "import type { Shared, Holder } from './shared.js'\nexport default async (p: { deep: { s: Shared }; hs: Holder[] }) => {}",
    )
    expect(problems).toEqual([
      'stacks.orders.tasks.a: payload.s.at is Date, which arrives as a string; use an ISO string (src/shared.ts:1:27)',
      'stacks.orders.tasks.a: payload.h.c is an instance of class C, which arrives as a plain object without its methods; use an interface (src/shared.ts:3:27)',
      'stacks.orders.tasks.b: payload.deep.s.at is Date, which arrives as a string; use an ISO string (src/shared.ts:1:27)',
      'stacks.orders.tasks.b: payload.hs[].c is an instance of class C, which arrives as a plain object without its methods; use an interface (src/shared.ts:3:27)',
    ])
  })

  it('is reported for both when the client cannot inline it, once per task however often the task reaches it', () => {
    const shared =
      'const x = { a: 1 }\nexport type Of<T> = T & typeof x\nexport interface One { o: Of<string> }\nexport interface Two { one: One; again: Of<number> }\n'
    const handler = "import type { One, Two } from './shared.js'\nexport default async (p: { one: One; two: Two }) => {}"
    const problems = problemsOfTwoTasks(shared, handler, handler)
    expect(problems).toEqual([
      'stacks.orders.tasks.a: the payload type the generic type Of uses typeof, which the client cannot inline (src/shared.ts:2:1)',
      'stacks.orders.tasks.b: the payload type the generic type Of uses typeof, which the client cannot inline (src/shared.ts:2:1)',
    ])
  })
})

describe('a declaration that two tasks reach, through other declarations', () => {
  it('has its enum problems reported for both, though the second task reaches the enum only through a shared interface', () => {
    const shared = "export enum Size { Small = 1, Computed = 'abc'.length }\nexport interface Line { size: Size }\nexport interface Order { lines: Line[] }\n"
    const problems = problemsOfTwoTasks(
      shared,
      "import type { Size, Order } from './shared.js'\nexport default async (p: { size: Size; order: Order }) => {}",
      "import type { Order } from './shared.js'\nexport default async (p: { order: Order }) => {}",
    )
    expect(problems).toEqual([
      "stacks.orders.tasks.a: the enum member Size.Computed = 'abc'.length is computed at run time; the client needs its value: write it as a number or string (src/shared.ts:1:31)",
      "stacks.orders.tasks.b: the enum member Size.Computed = 'abc'.length is computed at run time; the client needs its value: write it as a number or string (src/shared.ts:1:31)",
    ])
  })

  it('has a declaration the client cannot write reported for both', () => {
    const shared = 'declare const tree: { value: number; children: (typeof tree)[] }\nexport type Tree = typeof tree\nexport interface Holder { t: Tree }\n'
    const problems = problemsOfTwoTasks(
      shared,
      "import type { Holder } from './shared.js'\nexport default async (p: { h: Holder }) => {}",
      "import type { Holder } from './shared.js'\nexport default async (p: { again: Holder[] }) => {}",
    )
    expect(problems).toEqual([
      'stacks.orders.tasks.a: the type Tree uses { value: number; children: (typeof tree)[]; }, which refers to itself without a name the client can use; the client cannot write it (src/shared.ts:2:1)',
      'stacks.orders.tasks.b: the type Tree uses { value: number; children: (typeof tree)[]; }, which refers to itself without a name the client can use; the client cannot write it (src/shared.ts:2:1)',
    ])
  })
})
