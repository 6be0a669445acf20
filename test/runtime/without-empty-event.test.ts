import { describe, expect, it } from 'vitest'
import { withoutEmptyEvent, type TaskSpec } from '../../runtime/handler/wrap-handler.js'
import type { Schema } from '../../runtime/schema.js'

const spec = (payload: Schema): TaskSpec => ({ stack: 's', task: 't', payload, defs: {} })
const order: Schema = { type: 'object', properties: { id: { schema: { type: 'string' }, optional: false } } }
const loose: Schema = { type: 'object', properties: { id: { schema: { type: 'string' }, optional: true } } }

describe('withoutEmptyEvent: Lambda passes {} when an invoke has no payload', () => {
  it('a task without a payload gets undefined for {}', () => {
    expect(withoutEmptyEvent(spec({ type: 'undefined' }), {})).toBeUndefined()
  })

  it('an optional payload that {} does not match gets undefined', () => {
    expect(withoutEmptyEvent(spec({ type: 'union', anyOf: [order, { type: 'undefined' }] }), {})).toBeUndefined()
  })

  it('{} stays when it is a valid payload, and when undefined is not one either (validation then reports it)', () => {
    expect(withoutEmptyEvent(spec(loose), {})).toEqual({})
    expect(withoutEmptyEvent(spec(order), {})).toEqual({})
  })

  it('any other payload is passed through untouched', () => {
    const payload = { id: 'x' }
    expect(withoutEmptyEvent(spec({ type: 'undefined' }), payload)).toBe(payload)
    expect(withoutEmptyEvent(spec({ type: 'undefined' }), [])).toEqual([])
  })
})
