import { describe, expect, it } from 'vitest'
import { ENVELOPE_KEY, ENVELOPE_VERSION, isEnvelope, openEvent, sealEnvelope } from '../../runtime/envelope.js'

const sha = 'a'.repeat(64)

describe('the event envelope', () => {
  it('a plain payload is passed through as it is, whatever its shape', () => {
    for (const payload of [{ orderId: '1' }, [], 'x', 3, null, undefined, {}]) {
      expect(openEvent(payload)).toEqual({ kind: 'plain', payload })
    }
  })

  it('seals the given fields with the version and a send time, leaving out undefined ones', () => {
    const envelope = sealEnvelope({ payload: { a: 1 }, idempotencyKey: 'k', deliverAt: undefined, sentAt: new Date('2026-01-02T03:04:05Z') })
    expect(envelope).toEqual({ taskGenEnvelope: 1, sentAt: '2026-01-02T03:04:05.000Z', payload: { a: 1 }, idempotencyKey: 'k' })
    expect(JSON.parse(JSON.stringify(envelope))).toEqual(envelope)
  })

  it('opens what it sealed, after a JSON round trip', () => {
    const envelope = sealEnvelope({ payloadRef: { bucket: 'b', key: 'k', bytes: 5, sha256: sha }, deliverAt: '2026-01-02T03:04:05.000Z', traceparent: '00-x' })
    expect(openEvent(JSON.parse(JSON.stringify(envelope)))).toEqual({ kind: 'envelope', envelope })
  })

  it('an envelope without a payload is a call with no payload', () => {
    const opened = openEvent(sealEnvelope({ idempotencyKey: 'k' }))
    expect(opened.kind).toBe('envelope')
    expect(opened.kind === 'envelope' && 'payload' in opened.envelope).toBe(false)
  })

  it('refuses a newer version, an unknown field, a malformed field, and payload beside payloadRef', () => {
    const base = { [ENVELOPE_KEY]: ENVELOPE_VERSION, sentAt: '2026-01-02T03:04:05.000Z' }
    expect(openEvent({ ...base, [ENVELOPE_KEY]: 2 })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('version 2') })
    expect(openEvent({ ...base, delay: 5 })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('"delay"') })
    expect(openEvent({ ...base, idempotencyKey: 5 })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('"idempotencyKey"') })
    expect(openEvent({ ...base, payloadRef: { bucket: 'b', key: 'k', bytes: 1, sha256: 'nothex' } })).toMatchObject({ kind: 'invalid' })
    expect(openEvent({ ...base, sentAt: 'yesterday' })).toMatchObject({ kind: 'invalid' })
    expect(openEvent({ [ENVELOPE_KEY]: 1 })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('"sentAt"') })
    expect(openEvent({ ...base, payload: 1, payloadRef: { bucket: 'b', key: 'k', bytes: 1, sha256: sha } })).toMatchObject({ kind: 'invalid' })
  })

  it('only an own key marks an envelope: a payload named like it deeper down, or inherited, is a payload', () => {
    expect(isEnvelope({ nested: { [ENVELOPE_KEY]: 1 } })).toBe(false)
    expect(isEnvelope(Object.create({ [ENVELOPE_KEY]: 1 }))).toBe(false)
    expect(isEnvelope(JSON.parse('{"__proto__": {"taskGenEnvelope": 1}}'))).toBe(false)
  })
})
