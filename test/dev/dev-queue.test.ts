import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DevQueue, md5Hex, type BatchOutcome, type QueueMessage, type QueueSettings } from '../../generator/dev/dev-queue.js'
import { batchOutcome } from '../../generator/dev/dev-queues.js'

const STANDARD: QueueSettings = {
  name: 'q',
  fifo: false,
  batchSize: 3,
  batchWindowSeconds: 0,
  maxConcurrency: undefined,
  maxReceives: 2,
  visibilityTimeoutSeconds: 10,
  retentionSeconds: 3600,
}

/** A queue whose deliveries are recorded and answered by `answer` (default: all done). */
function queue(settings: Partial<QueueSettings>, answer: (batch: readonly QueueMessage[]) => BatchOutcome = () => ({ failed: [] })) {
  const batches: string[][] = []
  const redriven: string[] = []
  const q = new DevQueue(
    { ...STANDARD, ...settings },
    {
      deliver: async (batch) => {
        batches.push(batch.map((m) => m.body))
        return answer(batch)
      },
      redrive: (message) => void redriven.push(message.body),
    },
  )
  return { q, batches, redriven }
}

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
afterEach(() => vi.useRealTimers())

describe('DevQueue', () => {
  it('hands out batches of up to batchSize, and answers with the MD5 of the body', async () => {
    const { q, batches } = queue({ batchSize: 2 })
    const sent = q.send({ body: 'a' })
    expect(sent.md5OfBody).toBe(md5Hex('a'))
    expect(sent.md5OfBody).toBe('0cc175b9c0f1b6a831c399e269772661')
    q.send({ body: 'b' })
    q.send({ body: 'c' })
    await vi.runAllTimersAsync()
    // Without a window, the first message goes at once; what came after it goes in batches of two.
    expect(batches.flat().sort()).toEqual(['a', 'b', 'c'])
    expect(batches.every((b) => b.length <= 2)).toBe(true)
    expect(q.depth).toBe(0)
  })

  it('waits up to the batch window for a batch to fill, and not longer', async () => {
    const { q, batches } = queue({ batchSize: 3, batchWindowSeconds: 2 })
    q.send({ body: 'a' })
    q.send({ body: 'b' })
    await vi.advanceTimersByTimeAsync(1999)
    expect(batches).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(batches).toEqual([['a', 'b']])
    q.send({ body: 'c' })
    q.send({ body: 'd' })
    q.send({ body: 'e' })
    await vi.advanceTimersByTimeAsync(0)
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ])
  })

  it('makes a failed message visible again after the visibility timeout, and redrives it after its last receive', async () => {
    const { q, batches, redriven } = queue({ maxReceives: 2, visibilityTimeoutSeconds: 10 }, (batch) => ({
      failed: batch.filter((m) => m.body === 'bad').map((m) => m.messageId),
    }))
    q.send({ body: 'bad' })
    q.send({ body: 'good' })
    await vi.advanceTimersByTimeAsync(0)
    expect(batches.flat().sort()).toEqual(['bad', 'good'])
    await vi.advanceTimersByTimeAsync(9_999)
    expect(batches.flat().filter((b) => b === 'bad')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(batches.flat().filter((b) => b === 'bad')).toHaveLength(2)
    expect(redriven).toEqual(['bad'])
    expect(q.depth).toBe(0)
  })

  it('delays a message by DelaySeconds', async () => {
    const { q, batches } = queue({})
    q.send({ body: 'later', delaySeconds: 5 })
    await vi.advanceTimersByTimeAsync(4_999)
    expect(batches).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(batches).toEqual([['later']])
  })

  it('keeps at most maxConcurrency batches in flight', async () => {
    const release: (() => void)[] = []
    let inFlight = 0
    let most = 0
    const q = new DevQueue(
      { ...STANDARD, batchSize: 1, maxConcurrency: 2 },
      {
        deliver: () =>
          new Promise((resolve) => {
            most = Math.max(most, ++inFlight)
            release.push(() => {
              inFlight--
              resolve({ failed: [] })
            })
          }),
        redrive: () => {},
      },
    )
    for (const body of ['a', 'b', 'c', 'd']) q.send({ body })
    await vi.advanceTimersByTimeAsync(0)
    expect(release).toHaveLength(2)
    while (release.length > 0) {
      release.shift()!()
      await vi.advanceTimersByTimeAsync(0)
    }
    expect(most).toBe(2)
    expect(q.depth).toBe(0)
  })

  it('FIFO: a group waits behind its earlier message, other groups do not, and a duplicate is accepted but not delivered', async () => {
    const { q, batches, redriven } = queue({ fifo: true, batchSize: 1, maxReceives: 2, visibilityTimeoutSeconds: 10 }, (batch) => ({
      failed: batch.filter((m) => m.body === 'g1-a').map((m) => m.messageId),
    }))
    q.send({ body: 'g1-a', groupId: 'g1' })
    const first = q.send({ body: 'g1-b', groupId: 'g1', deduplicationId: 'same' })
    const again = q.send({ body: 'g1-b', groupId: 'g1', deduplicationId: 'same' })
    q.send({ body: 'g2-a', groupId: 'g2' })
    expect(BigInt(again.sequenceNumber!)).toBeGreaterThan(BigInt(first.sequenceNumber!))
    await vi.advanceTimersByTimeAsync(0)
    expect(batches).toEqual([['g1-a'], ['g2-a']])
    await vi.advanceTimersByTimeAsync(10_000)
    expect(batches).toEqual([['g1-a'], ['g2-a'], ['g1-a'], ['g1-b']])
    expect(redriven).toEqual(['g1-a'])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(batches).toHaveLength(4)
    expect(q.depth).toBe(0)
  })
})

describe('batchOutcome', () => {
  const batch = [{ messageId: 'm1' }, { messageId: 'm2' }] as QueueMessage[]
  const result = (body: string | undefined, ok = true) => ({ ok, body, timedOut: false, durationMs: 1, records: [] })
  it.each([
    ['null', { failed: [] }],
    ['{}', { failed: [] }],
    ['{"batchItemFailures":[]}', { failed: [] }],
    ['{"batchItemFailures":null}', { failed: [] }],
    ['"done"', { failed: [] }],
    ['{"batchItemFailures":[{"itemIdentifier":"m2"}]}', { failed: ['m2'] }],
    ['{"batchItemFailures":[{"itemIdentifier":""}]}', 'all failed'],
    ['{"batchItemFailures":[{"itemIdentifier":"other"}]}', 'all failed'],
    ['{"batchItemFailures":[{"id":"m1"}]}', 'all failed'],
    ['{"batchItemFailures":"m1"}', 'all failed'],
    ['not json', 'all failed'],
  ])('reads %s as Lambda does', (body, expected) => {
    expect(batchOutcome(result(body), batch)).toEqual(expected)
  })
  it('fails the whole batch when the invocation failed', () => {
    expect(batchOutcome(result(undefined, false), batch)).toBe('all failed')
  })
})
