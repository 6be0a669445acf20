import { describe, expect, it } from 'vitest'
import { printProjectNotes } from '../../generator/cli/project-notes.js'
import { extractOne } from '../helpers/extract.js'

/** A package whose namespaces each declare a `Status`, as Stripe's do. */
const NAMESPACED = {
  '../node_modules/pay/package.json': '{"name":"pay","types":"index.d.ts"}',
  '../node_modules/pay/index.d.ts': [
    'export declare namespace Charge { type Status = "failed" | "paid" }',
    'export declare namespace Invoice { type Status = "draft" | "open" }',
    'export interface Charge { status: Charge.Status }',
    'export interface Invoice { status: Invoice.Status }',
  ].join('\n'),
}

describe('names of a package’s types that share a name', () => {
  it('come from their namespaces, not numbers, whichever task finds which first', () => {
    const handler = "import type { Charge, Invoice } from 'pay'\nexport default async (p: { charge: Charge; invoice: Invoice }) => {}"
    const extraction = extractOne({ ...NAMESPACED, 'handler.ts': handler })
    expect(extraction.declarations).toEqual([
      '/** From pay/index.d.ts:3 */\nexport interface Charge { status: Charge_Status }',
      '/**\n * task-gen: Charge.Status (pay/index.d.ts).\n *\n * From pay/index.d.ts:1\n */\nexport type Charge_Status = "failed" | "paid"',
      '/** From pay/index.d.ts:4 */\nexport interface Invoice { status: Invoice_Status }',
      '/**\n * task-gen: Invoice.Status (pay/index.d.ts).\n *\n * From pay/index.d.ts:2\n */\nexport type Invoice_Status = "draft" | "open"',
    ])
    const swapped = extractOne({
      ...NAMESPACED,
      'handler.ts': "import type { Charge, Invoice } from 'pay'\nexport default async (p: { invoice: Invoice; charge: Charge }) => {}",
    })
    expect([...swapped.declarations].sort()).toEqual([...extraction.declarations].sort())
  })

  it('come from their modules when no namespace tells them apart, and the app’s own type keeps its name', () => {
    const extraction = extractOne({
      '../node_modules/ship/package.json': '{"name":"ship","types":"index.d.ts"}',
      '../node_modules/ship/index.d.ts':
        "export type { Address as BillingAddress } from './billing/address.js'\nexport type { Address as ShippingAddress } from './shipping/address.js'\n",
      '../node_modules/ship/billing/address.d.ts': 'export interface Address { vat: string }',
      '../node_modules/ship/shipping/address.d.ts': 'export interface Address { street: string }',
      'handler.ts':
        "import type { BillingAddress, ShippingAddress } from 'ship'\ninterface Address { mine: true }\nexport default async (p: { a: Address; b: BillingAddress; s: ShippingAddress }) => {}",
    })
    expect(extraction.tasks[0]!.payloadType).toBe('{ a: Address; b: billing_Address; s: shipping_Address }')
    expect(extraction.renamed.map((r) => r.name)).toEqual(['billing_Address', 'shipping_Address'])
  })

  it('is one note per package, not one per type', () => {
    const extraction = extractOne({
      ...NAMESPACED,
      'handler.ts': "import type { Charge, Invoice } from 'pay'\nexport default async (p: { charge: Charge; invoice: Invoice }) => {}",
    })
    const printed: string[] = []
    printProjectNotes({ stdout: () => {}, stderr: (line) => printed.push(line) }, extraction)
    expect(printed).toEqual([
      'note: types of pay that share a name are named by their namespace or module in the client: Charge.Status (pay/index.d.ts) is Charge_Status and 1 more',
    ])
  })
})

describe('identical structures', () => {
  it('are emitted once: a later declaration of the same structure is an alias of the first, every name kept, and the validators hold one definition of each', () => {
    const extraction = extractOne({
      'handler.ts': [
        'interface Money { amount: number; currency: string }',
        'interface Price { amount: number; currency: string }',
        'interface Line { price: Price }',
        'interface Item { price: Money }',
        'export default async (p: { line: Line; item: Item; money: Money }) => {}',
      ].join('\n'),
    })
    expect(extraction.declarations).toEqual([
      '/** From src/handler.ts:3 */\nexport interface Line { price: Price }',
      '/** From src/handler.ts:2 */\nexport interface Price { amount: number; currency: string }',
      '/** From src/handler.ts:4 */\nexport type Item = Line',
      '/** From src/handler.ts:1 */\nexport type Money = Price',
    ])
    expect(Object.keys(extraction.defs)).toEqual(['Line', 'Price'])
    expect(extraction.tasks[0]!.payloadType).toBe('{ line: Line; item: Item; money: Money }')
  })

  it('keep enums apart, though their members are the same', () => {
    const extraction = extractOne({ 'handler.ts': 'enum A { X = 1 }\nenum B { X = 1 }\nexport default async (p: { a: A; b: B }) => {}' })
    expect(extraction.enums.map((e) => e.name)).toEqual(['A', 'B'])
  })
})
