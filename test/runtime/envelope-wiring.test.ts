import { describe, expect, it } from 'vitest'
import { eventOf } from '../../runtime/client/event-body.js'
import { prepareInvoke } from '../../runtime/client/invoke.js'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import { mockTasks } from '../../runtime/client/testing.js'
import { invokeTask } from '../../runtime/client/invoke.js'
import { ENVELOPE_KEY, sealEnvelope } from '../../runtime/envelope.js'
import { decodeFailure } from '../../runtime/failures/decode-failure.js'
import type { FailureRecord } from '../../runtime/handler/failure-record.js'
import { wrapHandler, type TaskSpec } from '../../runtime/handler/wrap-handler.js'

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-orders-ship'
const ORDER_SCHEMA = { type: 'object', properties: { orderId: { schema: { type: 'string' }, optional: false } } } as const
const SPEC: TaskSpec = { stack: 'orders', task: 'ship', payload: ORDER_SCHEMA, defs: {} }
const OPTIONAL: TaskSpec = { ...SPEC, payload: { type: 'union', anyOf: [ORDER_SCHEMA, { type: 'undefined' }] } as never }
const MANIFEST: ClientManifest = {
  app: 'shop',
  stage: 'dev',
  region: 'us-east-1',
  stacks: { orders: { ship: { payload: { type: 'unknown' } as never } } },
  defs: {},
}
const SHIP = { manifest: MANIFEST, stack: 'orders', task: 'ship' }
const INDEX = { app: 'shop', tasks: [{ stack: 'orders', task: 'ship' }] }

let request = 0
const context = () => ({ awsRequestId: `r-${++request}`, invokedFunctionArn: FUNCTION_ARN })

const text = (body: Uint8Array | undefined) => (body === undefined ? undefined : JSON.parse(new TextDecoder().decode(body)))

/** A wrapped handler that records its payloads and the failure records it sends. */
function recording(spec: TaskSpec = SPEC) {
  const calls: unknown[] = []
  const sent: FailureRecord[] = []
  const handler = wrapHandler(
    async (payload: unknown) => void calls.push(payload),
    spec,
    async (r) => void sent.push(r),
  )
  return { calls, sent, handler }
}

describe('the client writes an envelope only when a call needs one', () => {
  it('a plain call sends the payload itself, byte for byte as before', () => {
    const request = prepareInvoke(SHIP, { orderId: '1' }, {})
    expect(new TextDecoder().decode(request.body)).toBe('{"orderId":"1"}')
    expect(eventOf(undefined)).toBeUndefined()
  })

  it('a call with delivery fields sends an envelope around its payload', () => {
    const request = prepareInvoke({ ...SHIP, delivery: { idempotencyKey: 'k-1', deliverAt: '2030-01-01T00:00:00.000Z' } }, { orderId: '1' }, {})
    expect(text(request.body)).toEqual({
      [ENVELOPE_KEY]: 1,
      sentAt: expect.any(String),
      payload: { orderId: '1' },
      idempotencyKey: 'k-1',
      deliverAt: '2030-01-01T00:00:00.000Z',
    })
  })

  it('a payload that has the envelope key at its top level travels inside an envelope, and arrives unchanged', async () => {
    const payload = { [ENVELOPE_KEY]: 'mine', orderId: '1' }
    const request = prepareInvoke(SHIP, payload, {})
    const event = text(request.body)
    expect(event).toMatchObject({ [ENVELOPE_KEY]: 1, payload })
    const { calls, sent, handler } = recording({ ...SPEC, payload: { type: 'unknown' } as never })
    await handler(event, context())
    expect(calls).toEqual([payload])
    expect(sent).toEqual([])
  })

  it('mockTasks hands its handlers the payload, not the envelope', async () => {
    const mock = mockTasks()
    try {
      const seen: unknown[] = []
      mock.handle('orders', 'ship', (payload) => void seen.push(payload))
      await invokeTask(SHIP, { [ENVELOPE_KEY]: 2 })
      await mock.settled()
      expect(seen).toEqual([{ [ENVELOPE_KEY]: 2 }])
    } finally {
      mock.restore()
    }
  })
})

describe('the task wrapper unwraps the envelope', () => {
  it('hands the handler the envelope payload, validated as the payload', async () => {
    const { calls, sent, handler } = recording()
    await handler(sealEnvelope({ payload: { orderId: '7' }, idempotencyKey: 'k' }), context())
    expect(calls).toEqual([{ orderId: '7' }])
    expect(sent).toEqual([])
  })

  it('a plain payload still works unchanged, an empty one still reads as none', async () => {
    const { calls, handler } = recording(OPTIONAL)
    await handler({ orderId: '8' }, context())
    await handler({}, context())
    expect(calls).toEqual([{ orderId: '8' }, undefined])
  })

  it('an envelope without a payload is a call without one: not `{}`', async () => {
    const { calls, handler } = recording(OPTIONAL)
    await handler(sealEnvelope({ idempotencyKey: 'k' }), context())
    expect(calls).toEqual([undefined])
  })

  it('an envelope payload that does not match the type fails as ValidationFailed, keeping the envelope in the record', async () => {
    const { calls, sent, handler } = recording()
    const event = sealEnvelope({ payload: { orderId: 7 } })
    await handler(event, context())
    expect(calls).toEqual([])
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      requestContext: { condition: 'ValidationFailed' },
      requestPayload: event,
      responsePayload: { errorMessage: expect.stringContaining('payload.orderId') },
    })
  })

  it('a newer envelope version, or a malformed envelope, never runs the handler and fails with a clear message', async () => {
    const { calls, sent, handler } = recording()
    await handler({ [ENVELOPE_KEY]: 2, sentAt: '2030-01-01T00:00:00Z', payload: { orderId: '1' } }, context())
    await handler({ [ENVELOPE_KEY]: 1, sentAt: '2030-01-01T00:00:00Z', payload: { orderId: '1' }, delay: 5 }, context())
    expect(calls).toEqual([])
    expect(sent.map((r) => r.responsePayload?.errorMessage)).toEqual([
      expect.stringMatching(/envelope version 2 is not one this task reads \(it reads 1\)/),
      expect.stringContaining('unknown field "delay"'),
    ])
    expect(sent.every((r) => r.requestContext.condition === 'ValidationFailed')).toBe(true)
  })

  it('a topic message that is an envelope is unwrapped too', async () => {
    const { calls, handler } = recording()
    const Message = JSON.stringify(sealEnvelope({ payload: { orderId: '9' } }))
    await handler({ Records: [{ EventSource: 'aws:sns', Sns: { Message, TopicArn: 'arn:aws:sns:us-east-1:123456789012:shop-dev-t' } }] }, context())
    expect(calls).toEqual([{ orderId: '9' }])
  })

  it('decodeFailure gives the payload inside an enveloped record, and keeps an unreadable envelope as it came', async () => {
    const { sent, handler } = recording()
    await handler(sealEnvelope({ payload: { orderId: 1 } }), context())
    const unreadable = { [ENVELOPE_KEY]: 9, sentAt: '2030-01-01T00:00:00Z' }
    await handler(unreadable, context())
    const decoded = sent.map((record) => decodeFailure(JSON.stringify(record), INDEX))
    expect(decoded.map((d) => d.ok && d.failure.payload)).toEqual([{ orderId: 1 }, unreadable])
  })
})
