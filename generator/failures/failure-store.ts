import type { DecodedFailure, MessageAttributes } from '../../runtime/failures/decode-failure.js'
import type { Model, TaskModel } from '../model/model.js'

/** One failure record, held by this reader until it is released or deleted. */
export interface HeldMessage {
  id: string
  body: string
  /** When it was put on the queue, in ms since the epoch. */
  sentAt: number
  /** Its string message attributes (EventBridge Scheduler's dead-letter events carry their details there). */
  attributes?: MessageAttributes
}

/** A task's failure queue, as `failures list` and `failures replay` use it. */
export interface FailureQueue {
  name: string
  /** Takes up to `max` messages that this reader does not hold yet; none means the queue is drained. */
  receive(max: number): Promise<HeldMessage[]>
  /** Makes held messages visible to every reader again. */
  release(messages: readonly HeldMessage[]): Promise<void>
  delete(message: HeldMessage): Promise<void>
}

/** Where failure records live: the deployed SQS queues, or the local store of `task-gen dev`. */
export interface FailureStore {
  /** The queue of that name, or undefined when it does not exist (its stack is not deployed). */
  queue(name: string): Promise<FailureQueue | undefined>
}

export interface FailureFilter {
  stack?: string
  task?: string
  /** At most this many records in all. */
  limit: number
  /** Read the on-failure handler's dead-letter queue instead of the tasks' failure queues. */
  deadLetter?: boolean
}

/** A queue to read, and which of its records the filter takes. */
export interface FailureSource {
  queue: string
  wants(decoded: DecodedFailure): boolean
}

function selectTasks(model: Model, filter: FailureFilter): TaskModel[] {
  return model.stacks
    .flatMap((s) => s.tasks)
    .filter((t) => (filter.stack === undefined || t.stack === filter.stack) && (filter.task === undefined || t.name === filter.task))
}

/**
 * The queues a filter reads: each selected task's failure queue, or the one dead-letter queue of
 * the on-failure handler, which holds records of every task (so there the filter applies to each
 * record; one that cannot be decoded is taken only when nothing is filtered).
 */
export function failureSources(model: Model, filter: FailureFilter): FailureSource[] {
  if (!filter.deadLetter) return selectTasks(model, filter).map((task) => ({ queue: task.names.failureQueue, wants: () => true }))
  if (!model.onFailure) return []
  const unfiltered = filter.stack === undefined && filter.task === undefined
  const wants = (decoded: DecodedFailure) =>
    decoded.ok
      ? (filter.stack === undefined || decoded.failure.stack === filter.stack) && (filter.task === undefined || decoded.failure.task === filter.task)
      : unfiltered
  return [{ queue: model.onFailure.names.deadLetterQueue, wants }]
}

/**
 * Reads a queue in rounds of at most 10 (SQS's batch size) until it is drained or `want` reaches 0.
 * Every message stays held while the rounds go on, so none is read twice; at the end, those that
 * `visit` did not consume are released, even when a visit throws.
 */
export async function drainQueue(queue: FailureQueue, want: () => number, visit: (message: HeldMessage) => Promise<'release' | 'consumed'>): Promise<void> {
  const held = new Map<string, HeldMessage>()
  const seen = new Set<string>()
  try {
    for (;;) {
      const wanted = Math.min(10, want())
      if (wanted <= 0) break
      const messages = await queue.receive(wanted)
      if (messages.length === 0) break
      for (const message of messages) {
        held.set(message.id, message)
        // A hold that ran out (a very long drain) shows a message again: it is not visited twice.
        if (seen.has(message.id)) continue
        seen.add(message.id)
        if ((await visit(message)) === 'consumed') held.delete(message.id)
      }
    }
  } finally {
    // Each release on its own: one that fails must not hide the others, nor an error thrown above.
    await Promise.allSettled([...held.values()].map((message) => queue.release([message])))
  }
}
