import { decodeFailure, type DecodedFailure } from '../../runtime/failures/decode-failure.js'
import type { Model } from '../model/model.js'
import { failureTaskIndex } from '../model/failure-task-index.js'
import { drainQueue, failureSources, type FailureFilter, type FailureStore } from './failure-store.js'

export type ListedFailure = DecodedFailure & { messageId: string; queue: string }

export interface FailureListing {
  failures: ListedFailure[]
  /** Failure queues that do not exist: their stacks are not deployed to this stage and region. */
  missingQueues: string[]
}

/** Reads the failure records without consuming them: every message read is released again. */
export async function readFailures(model: Model, filter: FailureFilter, store: FailureStore): Promise<FailureListing> {
  const index = failureTaskIndex(model)
  const failures: ListedFailure[] = []
  const missingQueues: string[] = []
  for (const source of failureSources(model, filter)) {
    if (failures.length >= filter.limit) break
    const queue = await store.queue(source.queue)
    if (!queue) {
      missingQueues.push(source.queue)
      continue
    }
    await drainQueue(
      queue,
      () => filter.limit - failures.length,
      async (message) => {
        const decoded = decodeFailure(message.body, index, message.attributes)
        if (source.wants(decoded)) failures.push({ ...decoded, messageId: message.id, queue: queue.name })
        return 'release'
      },
    )
  }
  return { failures, missingQueues }
}
