import type { TaskInvokeError } from './errors.js'
import type { TaskAccepted, TaskCallOptions } from './invoke.js'

export type TaskBatchOptions = TaskCallOptions & {
  /** Calls in flight at once. @default 10 */
  concurrency?: number
}

export type TaskBatchResult = ({ status: 'accepted'; index: number } & TaskAccepted) | { status: 'failed'; index: number; error: TaskInvokeError }

/** How a batch sends: `invoke` makes one call, `describe` turns what it threw into the TaskInvokeError recorded in its place. */
export interface BatchSend {
  invoke: (payload: unknown) => Promise<TaskAccepted>
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
        results[index] = { status: 'accepted', index, ...(await invoke(payloads[index])) }
      } catch (error) {
        results[index] = { status: 'failed', index, error: describe(error) }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, payloads.length) }, worker))
  return results
}
