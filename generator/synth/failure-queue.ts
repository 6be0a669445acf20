import { SqsQueue, SqsQueueRedrivePolicy } from './cdktf.js'
import type { Construct } from 'constructs'

/** 14 days, the longest SQS keeps a message. */
const FOURTEEN_DAYS = 1_209_600

/** An SQS queue with server-side encryption, standard unless `fifo`, keeping messages for 14 days unless told. */
export interface QueueOptions {
  /** The queue's name in AWS. */
  name: string
  /** A FIFO queue (its name must end in `.fifo`), deduplicating by content when the sender gives no id. */
  fifo?: boolean
  /** @default 14 days */
  retentionSeconds?: number
  /** Move a message here after maxReceiveCount receives. */
  redrive?: { deadLetterArn: string; maxReceiveCount: number }
  /** At least the consumer's timeout (AWS requires it); task-gen uses six times, as AWS advises. */
  visibilityTimeoutSeconds?: number
}

export function createQueue(scope: Construct, id: string, options: QueueOptions): SqsQueue {
  const { name, redrive, visibilityTimeoutSeconds, fifo = false, retentionSeconds = FOURTEEN_DAYS } = options
  const queue = new SqsQueue(scope, id, {
    name,
    sqsManagedSseEnabled: true,
    messageRetentionSeconds: retentionSeconds,
    ...(fifo ? { fifoQueue: true, contentBasedDeduplication: true } : {}),
    ...(visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds } : {}),
    // The redrive policy is its own resource (below); the queue must not fight it over the attribute.
    ...(redrive ? { lifecycle: { ignoreChanges: ['redrive_policy'] } } : {}),
  })
  if (redrive) {
    new SqsQueueRedrivePolicy(scope, `${id}_redrive`, {
      queueUrl: queue.url,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: redrive.deadLetterArn, maxReceiveCount: redrive.maxReceiveCount }),
    })
  }
  return queue
}
