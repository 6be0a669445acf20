import { describe, expect, it } from 'vitest'
import { extractProblems } from '../helpers/extract.js'

describe('a JSON problem inside an installed package', () => {
  it('is one problem per class, at its shortest path, placed at the handler with the package’s place second', () => {
    const problems = extractProblems({
      '../node_modules/money/package.json': '{"name":"money","types":"index.d.ts"}',
      '../node_modules/money/index.d.ts': [
        'export declare class Decimal { plus(x: Decimal): Decimal; minus(x: Decimal): Decimal; toString(): string }',
        'export interface Tier { at: Decimal; upTo: Decimal | null }',
        'export interface Price { tiers: { tier: Tier }[]; unit: Decimal; currency: string }',
      ].join('\n'),
      'handler.ts': "import type { Price } from 'money'\n\nexport default async (p: { price: Price; other: { deeper: Price } }) => {}",
    })
    expect(problems).toEqual([
      'stacks.orders.tasks.t: payload.price.unit is an instance of class Decimal, which arrives as a plain object without its methods; use an interface (in node_modules/money/index.d.ts:3:51) (src/handler.ts:3:23)',
    ])
  })
})
