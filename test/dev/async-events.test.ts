import { describe, expect, it } from 'vitest'
import { runEvent, type DevTask, type EventHooks } from '../../generator/dev/async-events.js'
import { EXPIRED, type AttemptResult, type TaskPool } from '../../generator/dev/task-pool.js'

const failed: AttemptResult = {
  ok: false,
  timedOut: false,
  durationMs: 5,
  records: [],
  error: { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at handler (file:///app/index.mjs:1:20)'] },
}
const succeeded: AttemptResult = { ok: true, timedOut: false, durationMs: 5, records: [] }

/** A task whose pool answers from a script, one result per attempt, in memory. */
function scripted(
  results: AttemptResult[],
  { concurrency = 1, attemptMs = 0, ...settings }: Partial<DevTask> & { concurrency?: number; attemptMs?: number } = {},
) {
  const runs: string[] = []
  const pool = {
    settings: { concurrency },
    run: async (_payload: unknown, requestId: string) => {
      runs.push(requestId)
      await new Promise((resolve) => setTimeout(resolve, attemptMs))
      return results.shift() ?? succeeded
    },
  } as unknown as TaskPool
  const task: DevTask = {
    stack: 's',
    task: 't',
    failureQueue: 'app-dev-s-t-failures',
    functionName: 'app-dev-s-t',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:app-dev-s-t',
    retryAttempts: 2,
    maxEventAgeSeconds: 21600,
    pool,
    ...settings,
  }
  const recorded: Record<string, any>[] = []
  let stopped = false
  const attempts: number[] = []
  const hooks: EventHooks = {
    retryDelaysMs: [10, 20],
    current: () => task,
    onAttempt: (report) => attempts.push(report.attempt),
    onFailure: async (_task, record) => void recorded.push(record),
    stopping: () => stopped,
  }
  return { runs, recorded, attempts, stop: () => void (stopped = true), run: () => runEvent(task, { payload: { id: 1 }, requestId: 'req-1' }, hooks) }
}

describe('runEvent: Lambda async semantics', () => {
  it('a success on the first attempt runs once and records nothing', async () => {
    const t = scripted([succeeded])
    await t.run()
    expect([t.attempts, t.recorded]).toEqual([[1], []])
  })

  it('retries retryAttempts times under the same request id, then writes one RetriesExhausted record', async () => {
    const t = scripted([failed, failed, failed])
    await t.run()
    expect(t.runs).toEqual(['req-1', 'req-1', 'req-1'])
    expect(t.recorded).toEqual([
      expect.objectContaining({
        requestContext: { requestId: 'req-1', functionArn: expect.stringMatching(/:\$LATEST$/), condition: 'RetriesExhausted', approximateInvokeCount: 3 },
        requestPayload: { id: 1 },
        responsePayload: failed.error,
      }),
    ])
  })

  it('retryAttempts 0 means one attempt', async () => {
    const t = scripted([failed], { retryAttempts: 0 })
    await t.run()
    expect(t.attempts).toEqual([1])
    expect(t.recorded[0]!.requestContext.approximateInvokeCount).toBe(1)
  })

  it('an event older than maxEventAge is not attempted again: EventAgeExceeded', async () => {
    const t = scripted([failed, failed, failed], { maxEventAgeSeconds: 0.015, attemptMs: 20 })
    await t.run()
    expect(t.attempts).toEqual([1])
    expect(t.recorded).toEqual([
      expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 }) }),
    ])
    expect(t.recorded[0]).not.toHaveProperty('responsePayload')
  })

  it('an event that outgrew maxEventAge while it waited for a worker: EventAgeExceeded, with the attempts that ran', async () => {
    const expired: AttemptResult = { ...failed, error: { errorType: EXPIRED, errorMessage: 'waited too long' } }
    const t = scripted([failed, expired])
    await t.run()
    expect(t.recorded).toEqual([
      expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 }) }),
    ])
  })

  it('a record the wrapper sent ends the event: no retry, and that record is the one kept', async () => {
    const own = { requestContext: { condition: 'NonRetryable' } }
    const t = scripted([{ ...succeeded, records: [own as never] }])
    await t.run()
    expect([t.attempts, t.recorded]).toEqual([[1], [own]])
  })

  it('when dev stops during an attempt, the event ends there and leaves no record', async () => {
    const t = scripted([failed, failed, failed], { attemptMs: 20 })
    const running = t.run()
    t.stop()
    await running
    expect([t.runs, t.attempts, t.recorded]).toEqual([['req-1'], [], []])
  })

  it('reserved concurrency 0: straight to a record, no attempt', async () => {
    const t = scripted([], { concurrency: 0 })
    await t.run()
    expect(t.runs).toEqual([])
    expect(t.recorded[0]!.requestContext.approximateInvokeCount).toBe(0)
  })
})
