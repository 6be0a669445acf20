import { describe, expect, it } from 'vitest'
import { reachableDefs } from '../../generator/bundle/bundle-requests.js'
import type { Schema, SchemaDefs } from '../../runtime/schema.js'

const ref = (name: string): Schema => ({ type: 'ref', name })
const DEFS: SchemaDefs = {
  Tree: {
    type: 'object',
    properties: { children: { schema: { type: 'array', items: ref('Tree') }, optional: false }, leaf: { schema: ref('Leaf'), optional: true } },
  },
  Leaf: { type: 'union', anyOf: [{ type: 'literal', value: 'a' }, ref('Tag')] },
  Tag: { type: 'tuple', items: [{ type: 'string' }], required: 1, rest: ref('Extra') },
  Extra: { type: 'number' },
  Unrelated: { type: 'string' },
}

describe('reachableDefs', () => {
  it('follows refs through arrays, objects, unions, tuples and recursion, and leaves out the rest', () => {
    expect(Object.keys(reachableDefs(ref('Tree'), DEFS))).toEqual(['Extra', 'Leaf', 'Tag', 'Tree'])
  })

  it('a payload with no named types carries none', () => {
    expect(reachableDefs({ type: 'object', properties: { id: { schema: { type: 'string' }, optional: false } } }, DEFS)).toEqual({})
  })
})
