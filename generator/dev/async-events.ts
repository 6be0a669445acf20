import { setTimeout as sleep } from 'node:timers/promises'
import type { AttemptError } from '../../runtime/dev/protocol.js'
import { EXPIRED, THROTTLED, type AttemptResult, type Invocation, type TaskPool } from './task-pool.js'
import { lambdaFailureRecord, type FailureRecord } from '../../runtime/handler/failure-record.js'
import { taskKey } from '../../runtime/names.js'

/** A task as dev runs it now: a new build or config swaps the pool, and later attempts use the new one. */
export interface DevTask {
  stack: string
  task: string
  /** Where its failure records go. */
  failureQueue: string
  functionName: string
  functionArn: string
  retryAttempts: number
  maxEventAgeSeconds: number
  pool: TaskPool
}

export interface AttemptReport {
  task: DevTask
  requestId: string
  attempt: number
  result: AttemptResult
}

export interface EventHooks {
  /** Delay before the second and the third attempt: about 1 and 2 minutes in Lambda. */
  retryDelaysMs: readonly [number, number]
  /** The task as it is now, by `taskKey` (it may have been rebuilt since the event came in). */
  current(key: string): DevTask | undefined
  onAttempt(report: AttemptReport): void
  /** The event's failure record, once it will not be tried again: to the failure store and the on-failure handler. */
  onFailure(task: DevTask, record: FailureRecord): Promise<void>
  /** Dev is stopping: the event ends here, and leaves no record (it did not fail). */
  stopping(): boolean
}

/** One `Event` invocation, as the endpoint accepted it. */
export interface AsyncEvent {
  payload: unknown
  requestId: string
  /** What the caller told the function beyond the payload. @default {} */
  invocation?: Invocation
}

/** Why and when Lambda gave up on an event. */
interface GiveUp {
  condition: 'RetriesExhausted' | 'EventAgeExceeded'
  /** The attempts made. */
  attempts: number
  /** The last attempt's error; none when no attempt ran. */
  error: AttemptError | undefined
}

/** The record Lambda writes when it gives up on an event: the error is the last attempt's, thrown by the handler. */
function recordOf(task: DevTask, event: AsyncEvent, { condition, attempts, error }: GiveUp): FailureRecord {
  const functionArn = `${task.functionArn}:$LATEST`
  const { requestId, payload } = event
  return lambdaFailureRecord({ condition, requestId, functionArn, attempts, payload, error: error && { functionError: 'Unhandled', ...error } })
}

/**
 * Runs one `Event` invocation as Lambda does: up to 1 + retryAttempts attempts with Lambda's delays
 * between them, no attempt once the event is older than maxEventAge, and one failure record at the
 * end. A record the task wrapper sent itself (invalid payload, NonRetryableError) ends it at once.
 */
export async function runEvent(accepted: DevTask, event: AsyncEvent, hooks: EventHooks): Promise<void> {
  const { payload, requestId, invocation = {} } = event
  const key = taskKey(accepted.stack, accepted.task)
  const receivedAt = Date.now()
  let task = accepted
  let lastError: AttemptError | undefined
  if (task.pool.settings.concurrency === 0) {
    // Lambda sends the events of a function with reserved concurrency 0 straight to its failure destination.
    return hooks.onFailure(task, recordOf(task, event, { condition: 'RetriesExhausted', attempts: 0, error: THROTTLED }))
  }
  const attempts = 1 + task.retryAttempts
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // Unreferenced: a retry that is still waiting does not keep a stopping dev alive.
    if (attempt > 1) await sleep(hooks.retryDelaysMs[attempt - 2] ?? hooks.retryDelaysMs[1], undefined, { ref: false })
    if (hooks.stopping()) return
    // Later attempts run the task's newest build, as Lambda's retries run $LATEST.
    task = hooks.current(key) ?? task
    const expiresAt = receivedAt + task.maxEventAgeSeconds * 1000
    const result = Date.now() > expiresAt ? undefined : await task.pool.run(payload, requestId, { startBy: expiresAt, invocation })
    if (hooks.stopping()) return
    if (!result || result.error?.errorType === EXPIRED) {
      return hooks.onFailure(task, recordOf(task, event, { condition: 'EventAgeExceeded', attempts: attempt - 1, error: undefined }))
    }
    hooks.onAttempt({ task, requestId, attempt, result })
    if (result.records.length > 0) {
      for (const record of result.records) await hooks.onFailure(task, record)
      return
    }
    if (result.ok) return
    lastError = result.error
  }
  await hooks.onFailure(task, recordOf(task, event, { condition: 'RetriesExhausted', attempts, error: lastError }))
}
