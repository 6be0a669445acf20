import { describe, expect, it } from 'vitest'
import { extractProblems } from '../helpers/extract.js'

describe('handlers that do not compile', () => {
  it('are refused with TypeScript’s own errors, at the handler’s and the payload types’ file:line, all at once', () => {
    const problems = extractProblems({
      'shared.ts': 'export interface Shared { b: numbr }\n',
      'handler.ts': [
        "import type { Shared } from './shared.js'",
        'export default async (p: { a: strin; s: Shared }) => {',
        "  const n: number = 'no'",
        '  void n',
        '}',
      ].join('\n'),
    })
    expect(problems).toEqual([
      "stacks.orders.tasks.t: Cannot find name 'strin'. Did you mean 'string'? (TS2552) (src/handler.ts:2:31)",
      "stacks.orders.tasks.t: Type 'string' is not assignable to type 'number'. (TS2322) (src/handler.ts:3:9)",
      "stacks.orders.tasks.t: Cannot find name 'numbr'. Did you mean 'number'? (TS2552) (src/shared.ts:1:30)",
    ])
  })

  it('are refused for a syntax error in the handler’s body', () => {
    expect(extractProblems({ 'handler.ts': 'export default async (p: { a: string }) => {\n  if (p.a { return }\n}\n' })).toEqual([
      "stacks.orders.tasks.t: ')' expected. (TS1005) (src/handler.ts:2:11)",
    ])
  })

  it('are not refused for what the app’s tsconfig and install provide (Node’s types, packages), but are for a file of the app that is not there', () => {
    const handler = (extra: string) =>
      `import { readFileSync } from 'node:fs'\nimport { join } from 'path'\nimport { handler } from 'not-installed'\n${extra}export default async (p: { a: string }) => { void readFileSync; void join; void handler; void process.env.X; void Buffer }\n`
    expect(extractProblems({ 'handler.ts': handler('') })).toEqual([])
    expect(extractProblems({ 'handler.ts': handler("import { gone } from './gone.js'\nvoid gone\n") })).toEqual([
      "stacks.orders.tasks.t: Cannot find module './gone.js' or its corresponding type declarations. (TS2307) (src/handler.ts:4:22)",
    ])
  })

  it('are not refused for an implicit any, which an app whose tsconfig allows it compiles (the untyped payload is a warning of its own)', () => {
    const source = 'export default async (p: { a: string }) => {\n  const pick = (x) => x\n  void pick(p.a)\n}\n'
    expect(extractProblems({ 'handler.ts': source })).toEqual([])
    expect(extractProblems({ 'handler.ts': `${source}const n: number = 'no'\nvoid n\n` })).toEqual([
      "stacks.orders.tasks.t: Type 'string' is not assignable to type 'number'. (TS2322) (src/handler.ts:5:7)",
    ])
  })
})
