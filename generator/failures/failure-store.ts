import type { FailureTaskIndex } from '../../runtime/failures/decode-failure.js'
import type { Model, TaskModel } from '../model/model.js'

/** One failure record, held by this reader until it is released or deleted. */
export interface HeldMessage {
  id: string
  body: string
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
  /** The task's queue, or undefined when it does not exist (the stack is not deployed). */
  queue(task: TaskModel): Promise<FailureQueue | undefined>
}

export interface FailureFilter {
  stack?: string
  task?: string
  /** At most this many records in all. */
  limit: number
}

export function selectTasks(model: Model, filter: FailureFilter): TaskModel[] {
  return model.stacks
    .flatMap((s) => s.tasks)
    .filter((t) => (filter.stack === undefined || t.stack === filter.stack) && (filter.task === undefined || t.name === filter.task))
}

/** What the decoder needs to tell which task a record belongs to. */
export function failureTaskIndex(model: Model): FailureTaskIndex {
  return { app: model.app, tasks: model.stacks.flatMap((s) => s.tasks.map((t) => ({ stack: t.stack, task: t.name }))) }
}

/**
 * Reads a queue in rounds of at most 10 (SQS's batch size) until it is drained or `want` reaches 0.
 * Every message stays held while the rounds go on, so none is read twice; at the end, those that
 * `visit` did not consume are released, even when a visit throws.
 */
export async function drainQueue(
  queue: FailureQueue,
  want: () => number,
  visit: (message: HeldMessage) => Promise<'release' | 'consumed'>,
): Promise<void> {
  const held: HeldMessage[] = []
  try {
    for (;;) {
      const wanted = Math.min(10, want())
      if (wanted <= 0) break
      const messages = await queue.receive(wanted)
      if (messages.length === 0) break
      for (const message of messages) if ((await visit(message)) === 'release') held.push(message)
    }
  } finally {
    await queue.release(held)
  }
}
