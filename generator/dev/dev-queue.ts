import { createHash, randomUUID } from 'node:crypto'
import type { QueueModel } from '../model/model.js'

/**
 * A task's own queue as `task-gen dev` keeps it, in memory, read the way Lambda's event source
 * mapping reads an SQS queue: batches of up to `batchSize` (waiting up to `batchWindow` for a
 * batch to fill), at most `maxConcurrency` batches at once, a failed message visible again after
 * the visibility timeout, and one that failed its `maxReceives`-th receive moved by the redrive.
 * FIFO queues hand out a message group's messages in order, one batch of a group at a time, and
 * drop a message whose deduplication id was sent in the last five minutes.
 */

/** SQS's deduplication interval for FIFO queues. */
const DEDUPLICATION_MS = 5 * 60 * 1000

export interface QueueMessage {
  messageId: string
  body: string
  md5OfBody: string
  sentAt: number
  /** When it may be received (again): after its delay, or after a receive's visibility timeout. */
  visibleAt: number
  receiveCount: number
  firstReceivedAt: number | undefined
  groupId: string | undefined
  deduplicationId: string | undefined
  sequenceNumber: string | undefined
}

export interface SendRequest {
  body: string
  delaySeconds?: number
  groupId?: string
  deduplicationId?: string
}

export interface SentMessage {
  messageId: string
  md5OfBody: string
  sequenceNumber?: string
}

/** What one delivery of a batch came to: the ids of the messages to deliver again, or all of them. */
export type BatchOutcome = { failed: readonly string[] } | 'all failed'

export interface QueueDelivery {
  /** Runs the task on one batch; never rejects (an error is 'all failed'). */
  deliver(batch: readonly QueueMessage[]): Promise<BatchOutcome>
  /** A message whose last receive failed: the queue's redrive takes it. */
  redrive(message: QueueMessage): void
}

export type QueueSettings = Pick<
  QueueModel,
  'name' | 'fifo' | 'batchSize' | 'batchWindowSeconds' | 'maxConcurrency' | 'maxReceives' | 'visibilityTimeoutSeconds' | 'retentionSeconds'
>

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex')
}

/** The smallest of `times` (a loop: a queue may hold more messages than a spread has arguments). */
function earliest(times: readonly number[]): number {
  let min = Number.POSITIVE_INFINITY
  for (const t of times) if (t < min) min = t
  return min
}

export class DevQueue {
  private readonly messages: QueueMessage[] = []
  private readonly recentDeduplicationIds = new Map<string, number>()
  private readonly groupsInFlight = new Set<string>()
  private inFlight = 0
  private sequence = 0n
  private timer: NodeJS.Timeout | undefined
  private wakeAt = Number.POSITIVE_INFINITY
  private closed = false

  constructor(
    public settings: QueueSettings,
    public delivery: QueueDelivery,
  ) {}

  /** Messages waiting or in flight. */
  get depth(): number {
    return this.messages.length
  }

  send(request: SendRequest): SentMessage {
    const now = Date.now()
    const md5OfBody = md5Hex(request.body)
    const messageId = randomUUID()
    if (this.settings.fifo) {
      const sequenceNumber = (++this.sequence).toString().padStart(20, '0')
      const deduplicationId = request.deduplicationId ?? createHash('sha256').update(request.body).digest('hex')
      const seen = this.recentDeduplicationIds.get(deduplicationId)
      // A duplicate is accepted and not delivered again, as SQS does.
      if (seen !== undefined && now - seen < DEDUPLICATION_MS) return { messageId, md5OfBody, sequenceNumber }
      this.recentDeduplicationIds.set(deduplicationId, now)
      this.push({ messageId, body: request.body, md5OfBody, sentAt: now, groupId: request.groupId, deduplicationId, sequenceNumber }, now)
      return { messageId, md5OfBody, sequenceNumber }
    }
    this.push(
      { messageId, body: request.body, md5OfBody, sentAt: now, groupId: undefined, deduplicationId: undefined, sequenceNumber: undefined },
      now + (request.delaySeconds ?? 0) * 1000,
    )
    return { messageId, md5OfBody }
  }

  private push(fields: Omit<QueueMessage, 'visibleAt' | 'receiveCount' | 'firstReceivedAt'>, visibleAt: number): void {
    this.messages.push({ ...fields, visibleAt, receiveCount: 0, firstReceivedAt: undefined })
    this.pump()
  }

  /** Stops delivering; what is waiting is dropped, as dev keeps no queue on disk. Returns how many messages were left. */
  close(): number {
    this.closed = true
    clearTimeout(this.timer)
    return this.messages.length
  }

  /** Hands out every batch that may go now, and sets a timer for the next moment one may. */
  private pump(): void {
    if (this.closed) return
    const now = Date.now()
    this.dropExpired(now)
    const limit = this.settings.maxConcurrency ?? Number.POSITIVE_INFINITY
    while (this.inFlight < limit) {
      const visible = this.receivable(now)
      if (visible.length === 0) break
      const oldestWait = now - earliest(visible.map((m) => m.visibleAt))
      const windowMs = this.settings.batchWindowSeconds * 1000
      if (visible.length < this.settings.batchSize && oldestWait < windowMs) {
        this.wake(now + windowMs - oldestWait)
        break
      }
      this.receive(visible.slice(0, this.settings.batchSize), now)
    }
    const next = earliest(this.messages.filter((m) => m.visibleAt > now).map((m) => m.visibleAt))
    if (Number.isFinite(next)) this.wake(next)
  }

  /** Messages that may be received now, in order; for FIFO only the first messages of groups with none in flight. */
  private receivable(now: number): QueueMessage[] {
    const visible = this.messages.filter((m) => m.visibleAt <= now)
    if (!this.settings.fifo) return visible
    const blocked = new Set(this.groupsInFlight)
    const out: QueueMessage[] = []
    for (const message of this.messages) {
      const group = message.groupId ?? ''
      if (blocked.has(group)) continue
      if (message.visibleAt > now) {
        blocked.add(group) // a group's later messages wait behind an earlier one
        continue
      }
      out.push(message)
    }
    return out
  }

  private receive(batch: QueueMessage[], now: number): void {
    for (const message of batch) {
      message.receiveCount++
      message.firstReceivedAt ??= now
      message.visibleAt = now + this.settings.visibilityTimeoutSeconds * 1000
      if (this.settings.fifo) this.groupsInFlight.add(message.groupId ?? '')
    }
    this.inFlight++
    void this.delivery.deliver(batch).then((outcome) => this.settle(batch, outcome))
  }

  private settle(batch: readonly QueueMessage[], outcome: BatchOutcome): void {
    this.inFlight--
    const failed = outcome === 'all failed' ? new Set(batch.map((m) => m.messageId)) : new Set(outcome.failed)
    for (const message of batch) {
      if (this.settings.fifo) this.groupsInFlight.delete(message.groupId ?? '')
      if (!failed.has(message.messageId)) this.remove(message)
      else if (message.receiveCount >= this.settings.maxReceives) {
        // SQS moves it on its next receive; dev moves it now, to the same place.
        this.remove(message)
        this.delivery.redrive(message)
      }
      // Else it stays invisible until its visibility timeout ends, as with Lambda's partial batch responses.
    }
    this.pump()
  }

  private remove(message: QueueMessage): void {
    const at = this.messages.indexOf(message)
    if (at >= 0) this.messages.splice(at, 1)
  }

  private dropExpired(now: number): void {
    const oldest = now - this.settings.retentionSeconds * 1000
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i]!
      if (message.sentAt < oldest && message.visibleAt <= now) this.messages.splice(i, 1)
    }
    for (const [id, at] of this.recentDeduplicationIds) if (now - at >= DEDUPLICATION_MS) this.recentDeduplicationIds.delete(id)
  }

  private wake(at: number): void {
    if (at >= this.wakeAt && this.timer) return
    clearTimeout(this.timer)
    this.wakeAt = at
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.wakeAt = Number.POSITIVE_INFINITY
        this.pump()
      },
      Math.max(0, at - Date.now()),
    )
    this.timer.unref()
  }
}
