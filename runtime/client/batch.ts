import { taskLabel } from '../names.js'
import { TaskInvokeError } from './errors.js'
import type { CallOptions, TaskAccepted, TaskCallOptions } from './invoke.js'

export type TaskBatchOptions = TaskCallOptions & {
  /** Calls in flight at once. @default 10 */
  concurrency?: number
}

export type TaskBatchResult = ({ status: 'accepted'; index: number } & TaskAccepted) | { status: 'failed'; index: number; error: TaskInvokeError }

/** What a batch takes: a call's options, with an idempotency key made per payload, and how many calls at once. */
export type BatchCallOptions = Omit<CallOptions, 'idempotencyKey'> & {
  concurrency?: number
  /** The key of each payload's call (a task with `idempotency`): one key for all would run only the first. */
  idempotencyKey?: (payload: never, index: number) => string
}

/** The options of each payload's call in a batch: its own key, when the batch makes keys. */
export function payloadOptions(
  { stack, task }: { stack: string; task: string },
  { concurrency: _concurrency, idempotencyKey, ...options }: BatchCallOptions,
): (payload: unknown, index: number) => CallOptions {
  if (idempotencyKey === undefined) return () => options as CallOptions
  if (typeof idempotencyKey !== 'function') {
    const error = new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: a batch takes idempotencyKey as a function of each payload, (payload, index) => key; one key for all would run only the first; nothing was sent`,
      { code: 'INVALID_OPTIONS', stack, task, functionName: '', attempts: 0 },
    )
    return () => {
      throw error
    }
  }
  // The typed front takes a function of the task's payload type; the payload here is one of the batch's.
  const keyOf = idempotencyKey as (payload: unknown, index: number) => string
  return (payload, index) => ({ ...options, idempotencyKey: keyOf(payload, index) }) as CallOptions
}

/** How a batch sends: `invoke` makes one call, `describe` turns what it threw into the TaskInvokeError recorded in its place. */
export interface BatchSend {
  invoke: (payload: unknown, index: number) => Promise<TaskAccepted>
  describe: (error: unknown) => TaskInvokeError
  /** Calls in flight at once. @default 10 */
  concurrency?: number
}

/**
 * Invokes one call per payload, at most `concurrency` at a time, and returns one result per
 * payload in order. A failure is recorded in its place; it never stops the others.
 */
export async function invokeBatch(payloads: readonly unknown[], { invoke, describe, concurrency = 10 }: BatchSend): Promise<TaskBatchResult[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`batch: concurrency must be a whole number of 1 or more, got ${concurrency}`)
  const results: TaskBatchResult[] = new Array(payloads.length)
  let next = 0
  const worker = async () => {
    while (next < payloads.length) {
      const index = next++
      try {
        results[index] = { status: 'accepted', index, ...(await invoke(payloads[index], index)) }
      } catch (error) {
        results[index] = { status: 'failed', index, error: describe(error) }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, payloads.length) }, worker))
  return results
}
