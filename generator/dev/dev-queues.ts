import { taskKey } from '../../runtime/names.js'
import type { Model, QueueModel } from '../model/model.js'
import { DevQueue, type BatchOutcome, type QueueMessage } from './dev-queue.js'
import type { SqsTarget } from './sqs-api.js'
import type { AttemptResult } from './task-pool.js'

/** An SQS batch as Lambda's event source mapping hands it to the function. */
export interface SqsBatchEvent {
  Records: Record<string, unknown>[]
}

/** One delivery: the event, and which receive it is of how many a message gets. */
export interface QueueBatch {
  event: SqsBatchEvent
  /** The highest receive count in the batch. */
  attempt: number
  maxReceives: number
}

export interface QueueHooks {
  /** Runs the task of `key` on one batch, once, as the mapping invokes it (synchronously); undefined when it could not run (gone, or throttled). */
  run(key: string, batch: QueueBatch): Promise<AttemptResult | undefined>
  /** A message its redrive takes after its last failed receive: it goes to `deadLetter` as it is. */
  redrive(key: string, message: QueueMessage, deadLetter: string): void
}

interface ServedQueue {
  key: string
  model: QueueModel
  /** Where the redrive sends: the FIFO queue's own dead-letter queue, else the task's failure queue. */
  deadLetter: string
  queue: DevQueue
}

/** The sender id Lambda's records carry: dev's callers are the local user. */
const SENDER_ID = 'AIDADEVLOCALSENDER0000'

/** One message as a record of Lambda's SQS event. */
function recordOf(message: QueueMessage, on: { queueArn: string; region: string }): Record<string, unknown> {
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    SenderId: SENDER_ID,
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  }
  if (message.sequenceNumber !== undefined) attributes.SequenceNumber = message.sequenceNumber
  if (message.groupId !== undefined) attributes.MessageGroupId = message.groupId
  if (message.deduplicationId !== undefined) attributes.MessageDeduplicationId = message.deduplicationId
  return {
    messageId: message.messageId,
    receiptHandle: `${message.messageId}#${message.receiveCount}`,
    body: message.body,
    attributes,
    messageAttributes: {},
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: on.queueArn,
    awsRegion: on.region,
  }
}

/**
 * What a partial batch response means, as Lambda reads it: no response, or no or an empty
 * `batchItemFailures`, is success; each listed `itemIdentifier` is a message to deliver again;
 * an identifier that is empty, not a string, or not of this batch fails the whole batch.
 */
export function batchOutcome(result: AttemptResult, batch: readonly QueueMessage[]): BatchOutcome {
  if (!result.ok) return 'all failed'
  let response: unknown
  try {
    response = JSON.parse(result.body ?? 'null')
  } catch {
    return 'all failed'
  }
  if (typeof response !== 'object' || response === null || Array.isArray(response)) return { failed: [] }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures
  if (failures === undefined || failures === null) return { failed: [] }
  if (!Array.isArray(failures)) return 'all failed'
  const ids = new Set(batch.map((m) => m.messageId))
  const failed: string[] = []
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier
    if (typeof id !== 'string' || !ids.has(id)) return 'all failed'
    failed.push(id)
  }
  return { failed }
}

/** The task queues `task-gen dev` serves, by queue name; a queue and what it holds outlive reloads of its task. */
export class DevQueues {
  private readonly byName = new Map<string, ServedQueue>()

  constructor(
    private readonly hooks: QueueHooks,
    private readonly arnOf: (queueName: string) => string,
  ) {}

  /** Follows the config: a new queue task gets a queue, a changed one its new settings, a removed one's queue is dropped. */
  update(model: Model): void {
    const wanted = new Map<string, { key: string; model: QueueModel; deadLetter: string }>()
    for (const task of model.stacks.flatMap((s) => s.tasks)) {
      if (task.queue)
        wanted.set(task.queue.name, {
          key: taskKey(task.stack, task.name),
          model: task.queue,
          deadLetter: task.queue.deadLetterName ?? task.names.failureQueue,
        })
    }
    for (const [name, served] of this.byName) {
      if (!wanted.has(name)) {
        served.queue.close()
        this.byName.delete(name)
      }
    }
    for (const [name, spec] of wanted) {
      const served = this.byName.get(name)
      if (served) {
        Object.assign(served, spec)
        served.queue.settings = spec.model
        continue
      }
      const entry: ServedQueue = { ...spec, queue: undefined as unknown as DevQueue }
      const on = { queueArn: this.arnOf(name), region: model.region }
      entry.queue = new DevQueue(spec.model, {
        deliver: async (batch) => {
          const attempt = batch.reduce((n, m) => Math.max(n, m.receiveCount), 0)
          const event = { Records: batch.map((m) => recordOf(m, on)) }
          const result = await this.hooks.run(entry.key, { event, attempt, maxReceives: entry.model.maxReceives }).catch(() => undefined)
          return result ? batchOutcome(result, batch) : 'all failed'
        },
        redrive: (message) => this.hooks.redrive(entry.key, message, entry.deadLetter),
      })
      this.byName.set(name, entry)
    }
  }

  /** The endpoint's view: the queues by name, under queue URLs that start with `urlPrefix`. */
  target(urlPrefix: string): SqsTarget {
    return { urlPrefix, queue: (name) => this.byName.get(name)?.queue }
  }

  /** The queue of this name, as it is now: what a delayed call's schedule sends to. */
  queue(name: string): DevQueue | undefined {
    return this.byName.get(name)?.queue
  }

  get size(): number {
    return this.byName.size
  }

  /** Stops every queue; returns how many messages were left in them (dropped). */
  close(): number {
    let left = 0
    for (const served of this.byName.values()) left += served.queue.close()
    this.byName.clear()
    return left
  }
}
