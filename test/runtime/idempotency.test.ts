import { describe, expect, it } from 'vitest'
import { invokeTask, prepareInvoke } from '../../runtime/client/invoke.js'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import { setTransport } from '../../runtime/client/transport.js'
import { sealEnvelope } from '../../runtime/envelope.js'
import type { FailureRecord } from '../../runtime/handler/failure-record.js'
import { claimDecision, KeyInProgressError, MemoryIdempotencyStore, newClaim, type KeyRecord } from '../../runtime/handler/idempotency.js'
import { NonRetryableError } from '../../runtime/handler/non-retryable-error.js'
import { wrapHandler, type TaskSpec } from '../../runtime/handler/wrap-handler.js'
import { createTaskClient } from '../../runtime/client/create-client.js'

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-orders-ship'
const ORDER = { type: 'object', properties: { orderId: { schema: { type: 'string' }, optional: false } } } as const
const KEYS = { windowSeconds: 3600, lockSeconds: 60 }
const SPEC: TaskSpec = { stack: 'orders', task: 'ship', payload: ORDER, defs: {}, idempotency: KEYS }
const NOW = Date.parse('2026-12-04T10:00:00Z')

const record = (over: Partial<KeyRecord> = {}): KeyRecord => ({
  key: 'order-1',
  status: 'in-progress',
  owner: 'r-1',
  lockedUntil: NOW + 60_000,
  expiresAt: NOW / 1000 + 3600,
  ...over,
})

describe('the idempotency state machine (claimDecision)', () => {
  it('claims a key nobody holds', () => {
    expect(claimDecision(undefined, { owner: 'r-2', now: NOW })).toBe('claimed')
  })

  it('skips a completed key within its window', () => {
    expect(claimDecision(record({ status: 'completed' }), { owner: 'r-2', now: NOW })).toBe('completed')
  })

  it('claims a completed key whose window ended (TTL deletes it later, not at once)', () => {
    expect(claimDecision(record({ status: 'completed', expiresAt: NOW / 1000 }), { owner: 'r-2', now: NOW })).toBe('claimed')
  })

  it('leaves a key in progress to its holder until the holder outlives its timeout', () => {
    expect(claimDecision(record(), { owner: 'r-2', now: NOW })).toBe('in-progress')
    expect(claimDecision(record(), { owner: 'r-2', now: NOW + 60_000 })).toBe('claimed')
  })

  it("lets the same delivery take its own key again (Lambda's retry of the event it failed)", () => {
    expect(claimDecision(record(), { owner: 'r-1', now: NOW })).toBe('claimed')
    expect(claimDecision(record({ status: 'completed' }), { owner: 'r-1', now: NOW })).toBe('completed')
  })
})

describe('the memory store (dev keeps keys in it)', () => {
  it('completes and releases only its owner’s claim', async () => {
    const store = new MemoryIdempotencyStore()
    expect(await store.claim(newClaim({ key: 'k', owner: 'a' }, KEYS, NOW), NOW)).toBe('claimed')
    await store.release('k', 'b')
    await store.complete('k', 'b')
    expect(store.records.get('k')?.status).toBe('in-progress')
    await store.release('k', 'a')
    expect(store.records.has('k')).toBe(false)
    expect(await store.claim(newClaim({ key: 'k', owner: 'b' }, KEYS, NOW), NOW)).toBe('claimed')
    await store.complete('k', 'b')
    await store.release('k', 'b')
    expect(store.records.get('k')).toMatchObject({ status: 'completed', owner: 'b', expiresAt: NOW / 1000 + 3600, lockedUntil: NOW + 60_000 })
  })
})

let request = 0
const context = () => ({ awsRequestId: `r-${++request}`, invokedFunctionArn: FUNCTION_ARN })
const keyed = (key: string, payload: unknown = { orderId: '1' }) => sealEnvelope({ payload, idempotencyKey: key })

function wrapped(behaviour: (payload: unknown) => Promise<unknown> = async () => 'done', spec: TaskSpec = SPEC) {
  const runs: unknown[] = []
  const sent: FailureRecord[] = []
  const keys = new MemoryIdempotencyStore()
  const handler = wrapHandler(
    async (payload: unknown) => {
      runs.push(payload)
      return behaviour(payload)
    },
    spec,
    { send: async (r) => void sent.push(r), keys },
  )
  return { runs, sent, keys, handler }
}

describe('the task wrapper with idempotency keys', () => {
  it('runs an event sent three times with one key once; the others end without running it', async () => {
    const { runs, handler, keys } = wrapped()
    expect(await handler(keyed('order-1'), context())).toBe('done')
    expect(await handler(keyed('order-1'), context())).toBeUndefined()
    expect(await handler(keyed('order-1'), context())).toBeUndefined()
    expect(runs).toEqual([{ orderId: '1' }])
    expect(keys.records.get('order-1')?.status).toBe('completed')
    await handler(keyed('order-2'), context())
    expect(runs).toHaveLength(2)
  })

  it('a failed run releases its key: the retry (same request id) and a later call may run it', async () => {
    let fail = true
    const { runs, handler, keys } = wrapped(async () => {
      if (fail) throw new Error('flaky')
      return 'ok'
    })
    const ctx = context()
    await expect(handler(keyed('k'), ctx)).rejects.toThrow('flaky')
    expect(keys.records.has('k')).toBe(false)
    fail = false
    expect(await handler(keyed('k'), ctx)).toBe('ok')
    expect(runs).toHaveLength(2)
  })

  it('a NonRetryableError sends its record and releases the key too', async () => {
    const { sent, handler, keys } = wrapped(async () => {
      throw new NonRetryableError('no such order')
    })
    await handler(keyed('k'), context())
    expect(sent.map((r) => r.requestContext.condition)).toEqual(['NonRetryable'])
    expect(keys.records.has('k')).toBe(false)
  })

  it('a key in progress in another delivery fails this one retryably; once the other completed, it is a duplicate', async () => {
    let finish!: () => void
    const { runs, handler } = wrapped(() => new Promise((resolve) => (finish = () => resolve('first'))))
    const first = handler(keyed('k'), context())
    await new Promise((resolve) => setTimeout(resolve, 10))
    await expect(handler(keyed('k'), context())).rejects.toBeInstanceOf(KeyInProgressError)
    finish()
    expect(await first).toBe('first')
    expect(await handler(keyed('k'), context())).toBeUndefined()
    expect(runs).toHaveLength(1)
  })

  it('a claim whose holder outlived its timeout may be taken again', async () => {
    const { runs, handler, keys } = wrapped()
    keys.records.set('k', record({ key: 'k', owner: 'gone', lockedUntil: Date.now() - 1, expiresAt: Date.now() / 1000 + 3600 }))
    expect(await handler(keyed('k'), context())).toBe('done')
    expect(runs).toHaveLength(1)
  })

  it('an invalid payload claims nothing; a plain event (no key) always runs', async () => {
    const { runs, handler, keys } = wrapped()
    await handler(keyed('k', { orderId: 7 }), context())
    expect(keys.records.size).toBe(0)
    await handler({ orderId: '1' }, context())
    await handler({ orderId: '1' }, context())
    expect(runs).toHaveLength(2)
  })

  it('a task without idempotency ignores a key that arrives anyway (another sender), and keeps none', async () => {
    const { runs, handler, keys } = wrapped(undefined, { ...SPEC, idempotency: undefined })
    await handler(keyed('k'), context())
    await handler(keyed('k'), context())
    expect(runs).toHaveLength(2)
    expect(keys.records.size).toBe(0)
  })

  it('queue messages: a message delivered twice with one key runs once; its own redelivery may retake a claim', async () => {
    const { runs, handler } = wrapped()
    const message = (id: string) => ({
      messageId: id,
      receiptHandle: 'h',
      body: JSON.stringify(keyed('k')),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:shop-dev-orders-ship-queue',
      awsRegion: 'us-east-1',
    })
    const answer = await handler({ Records: [message('m-1'), message('m-2')] }, context())
    expect(answer).toEqual({ batchItemFailures: [] })
    expect(runs).toHaveLength(1)
  })
})

const MANIFEST: ClientManifest = {
  app: 'shop',
  stage: 'dev',
  region: 'us-east-1',
  stacks: {
    orders: {
      ship: { payload: ORDER as never, idempotency: true, delay: true },
      plain: { payload: ORDER as never },
      fifo: { payload: ORDER as never, idempotency: true, queue: { fifo: true } },
    },
  },
  defs: {},
}
const target = (task: string) => ({ manifest: MANIFEST, stack: 'orders', task })

describe('the client: idempotencyKey', () => {
  it('travels in the envelope', () => {
    const request = prepareInvoke(target('ship'), { orderId: '1' }, { idempotencyKey: 'order-1' })
    expect(JSON.parse(new TextDecoder().decode(request.body))).toMatchObject({ taskGenEnvelope: 1, idempotencyKey: 'order-1', payload: { orderId: '1' } })
  })

  it('is refused before sending for a task without idempotency, and when it is not a key', async () => {
    await expect(invokeTask(target('plain'), { orderId: '1' }, { idempotencyKey: 'k' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('set "idempotency": {} on the task'),
    })
    for (const bad of ['', 'x'.repeat(513), 42]) {
      await expect(invokeTask(target('ship'), { orderId: '1' }, { idempotencyKey: bad as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
    }
  })

  it("names a delayed call's schedule, the same for one key and task, different across keys and tasks", () => {
    const name = (task: string, key: string) => prepareInvoke(target(task), { orderId: '1' }, { idempotencyKey: key, delay: '10 minutes' }).scheduleName
    expect(name('ship', 'k')).toMatch(/^key-[0-9a-f]{56}$/)
    expect(name('ship', 'k')).toBe(name('ship', 'k'))
    expect(name('ship', 'k')).not.toBe(name('ship', 'k2'))
    expect(prepareInvoke(target('ship'), { orderId: '1' }, { delay: '10 minutes' }).scheduleName).toBeUndefined()
  })

  it("is a FIFO message's deduplication id (hashed when SQS would refuse it), unless one is given", () => {
    const queue = (options: object) => prepareInvoke(target('fifo'), { orderId: '1' }, { groupId: 'g', ...options }).queue
    expect(queue({ idempotencyKey: 'order-1' })?.deduplicationId).toBe('order-1')
    expect(queue({ idempotencyKey: 'ordre n° 1' })?.deduplicationId).toMatch(/^[0-9a-f]{64}$/)
    expect(queue({ idempotencyKey: 'order-1', deduplicationId: 'mine' })?.deduplicationId).toBe('mine')
  })

  it("batch makes each payload's key with a function, and refuses one key for all", async () => {
    const keys: unknown[] = []
    const restore = setTransport(async (request) => {
      keys.push(request.delivery.idempotencyKey)
      return { statusCode: 202, requestId: 'r', attempts: 1 }
    })
    try {
      const Task = createTaskClient(MANIFEST)
      const payloads = [{ orderId: '1' }, { orderId: '2' }]
      const results = await Task.orders!.ship!.batch(payloads, { idempotencyKey: ((p: { orderId: string }) => `order-${p.orderId}`) as never })
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted'])
      expect(keys.sort()).toEqual(['order-1', 'order-2'])
      const refused = await Task.orders!.ship!.batch(payloads, { idempotencyKey: 'one' as never })
      expect(refused.map((r) => r.status === 'failed' && r.error.code)).toEqual(['INVALID_OPTIONS', 'INVALID_OPTIONS'])
      expect(keys).toHaveLength(2)
    } finally {
      restore()
    }
  })
})

describe('trace context: traceparent', () => {
  const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

  it('travels in the envelope, and a malformed one is refused before sending', async () => {
    const request = prepareInvoke(target('plain'), { orderId: '1' }, { traceparent: TRACE })
    expect(JSON.parse(new TextDecoder().decode(request.body))).toMatchObject({ taskGenEnvelope: 1, traceparent: TRACE, payload: { orderId: '1' } })
    for (const bad of ['00-xyz', TRACE.toUpperCase(), 7]) {
      await expect(invokeTask(target('plain'), { orderId: '1' }, { traceparent: bad as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
    }
  })

  it("the wrapper's log line of each attempt carries it", async () => {
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => void lines.push(line)
    try {
      const { handler } = wrapped()
      await handler(sealEnvelope({ payload: { orderId: '1' }, traceparent: TRACE }), context())
    } finally {
      console.log = log
    }
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ outcome: 'success', traceparent: TRACE })])
  })
})
