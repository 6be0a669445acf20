import { z } from 'zod'
import { describeValue } from '../errors/describe-value.js'
import { duration, integerFrom, strictObject } from './fields.js'

/**
 * A task's `queue`: its own SQS queue, read by a Lambda event source mapping. Each limit is the
 * one AWS enforces (Lambda's SQS event source parameters, SQS's queue attributes), so that a
 * mistake shows at `check`, not halfway through a deploy.
 */

/** Lambda: a standard queue's batch up to 10,000 messages, a FIFO queue's up to 10. */
export const QUEUE_LIMITS = { batchSize: 10_000, fifoBatchSize: 10, batchWindowSeconds: 300, maxConcurrency: 1000, visibilityTimeoutSeconds: 43_200 } as const

const queueObject = strictObject({
  batchSize: integerFrom(1, QUEUE_LIMITS.batchSize)
    .optional()
    .describe('Messages per invocation, 1 to 10,000 (a FIFO queue: 1 to 10); above 10 needs a "batchWindow" of at least 1 second. @default 10'),
  batchWindow: duration({
    min: 0,
    max: QUEUE_LIMITS.batchWindowSeconds,
    description:
      'How long Lambda gathers messages before it invokes with a batch smaller than batchSize, "0 seconds" to "5 minutes" (not for FIFO queues). @default "0 seconds"',
    example: '5 seconds',
  }).optional(),
  maxConcurrency: integerFrom(2, QUEUE_LIMITS.maxConcurrency)
    .optional()
    .describe("The most concurrent invocations the queue starts, 2 to 1,000. @default no limit but the function's and the account's"),
  maxReceives: integerFrom(1, 1000)
    .optional()
    .describe("How many times a message is received (tried) before it becomes a failure record in the task's failure queue, 1 to 1000. @default 5"),
  visibilityTimeout: duration({
    min: 0,
    max: QUEUE_LIMITS.visibilityTimeoutSeconds,
    description:
      'How long a received message stays hidden before it is received again, at least the function\'s timeout and at most "12 hours". @default six times the function\'s timeout plus the batch window (AWS\'s advice), at most "12 hours"',
    example: '2 minutes',
  }).optional(),
  retention: duration({
    min: 60,
    max: 1_209_600,
    description: 'How long SQS keeps a message that has not been processed, "1 minute" to "14 days". @default "4 days"',
    example: '4 days',
  }).optional(),
  fifo: z
    .boolean({ error: (issue) => `must be true or false, got ${describeValue(issue.input)}` })
    .optional()
    .describe(
      'A FIFO queue: messages of one group in order, each exactly once within the deduplication interval; the client then takes { groupId, deduplicationId }. @default false',
    ),
}).superRefine((value, ctx) => {
  const window = value.batchWindow ?? 0
  if (value.fifo === true) {
    if (value.batchSize !== undefined && value.batchSize > QUEUE_LIMITS.fifoBatchSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['batchSize'],
        message: `a FIFO queue's batch is at most ${QUEUE_LIMITS.fifoBatchSize} messages, got ${value.batchSize}`,
        input: value.batchSize,
      })
    }
    if (window > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['batchWindow'],
        message: 'Lambda has no batch window for FIFO queues; leave "batchWindow" out',
        input: value.batchWindow,
      })
  } else if (value.batchSize !== undefined && value.batchSize > 10 && window < 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['batchSize'],
      message: `a batch of more than 10 messages needs a "batchWindow" of at least "1 second" (Lambda requires it), got batchSize ${value.batchSize}`,
      input: value.batchSize,
    })
  }
})

export const queue = queueObject.describe(
  'Runs the task from its own SQS queue: the client sends to the queue, Lambda reads it in batches. { batchSize, batchWindow, maxConcurrency, maxReceives, visibilityTimeout, retention, fifo }. @example { "batchSize": 10, "maxReceives": 5 }',
)

export type QueueConfig = z.output<typeof queueObject>
