import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AttemptResult, TaskPool } from './task-pool.js'

export type DeliveryOutcome = { handled: true; receives: number } | { handled: false; receives: number; last: AttemptResult }

function rejected(result: AttemptResult): boolean {
  if (!result.ok) return true
  const failures = (JSON.parse(result.body ?? 'null') as { batchItemFailures?: unknown[] } | null)?.batchItemFailures
  return Array.isArray(failures) && failures.length > 0
}

export interface DeliveryOptions {
  /** The on-failure handler's pool as it is now (a reload may replace it); undefined once it is gone from the config. */
  pool: () => TaskPool | undefined
  /** The queue the record is received from, as the SQS event names it. */
  queueArn: string
  maxReceives: number
  redeliveryDelayMs: number
  stopping: () => boolean
}

/**
 * Hands one failure record to the on-failure handler as its SQS event source mapping would: a
 * batch of one; when the handler throws or reports it failed, it is received again, up to
 * `maxReceives` times (then it belongs in the dead-letter queue). Each receive runs the handler's
 * current build; 'stopped' means dev is stopping, or the handler is gone from the config.
 */
export async function deliverToOnFailure(body: string, options: DeliveryOptions): Promise<DeliveryOutcome | 'stopped'> {
  const messageId = randomUUID()
  let last: AttemptResult | undefined
  for (let receive = 1; receive <= options.maxReceives; receive++) {
    if (receive > 1) await sleep(options.redeliveryDelayMs, undefined, { ref: false })
    const handler = options.pool()
    if (options.stopping() || !handler) return 'stopped'
    const record = {
      messageId,
      receiptHandle: messageId,
      body,
      attributes: { ApproximateReceiveCount: String(receive) },
      eventSource: 'aws:sqs',
      eventSourceARN: options.queueArn,
    }
    last = await handler.run({ Records: [record] }, randomUUID())
    if (options.stopping()) return 'stopped'
    if (!rejected(last)) return { handled: true, receives: receive }
  }
  return { handled: false, receives: options.maxReceives, last: last! }
}
