import { type IamRolePolicy, LambdaEventSourceMapping, type LambdaFunction, type SqsQueue, TerraformOutput, type TerraformStack } from './cdktf.js'
import type { QueueModel } from '../model/model.js'
import { createQueue } from './failure-queue.js'
import { CONSUME_QUEUE, type PolicyStatement } from './policy.js'

/**
 * A task's own queue: encrypted, FIFO when asked, redriven after `maxReceives` receives as a
 * safety net (the task wrapper writes the failure record on the last receive itself; what reaches
 * the redrive is a run that never answered, a timeout or a crash). A standard queue's redrive goes
 * to the task's failure queue; SQS requires a FIFO queue's to be FIFO, so a FIFO task has a FIFO
 * dead-letter queue of its own.
 */
export function createTaskQueue(stack: TerraformStack, id: string, { queue, failureQueue }: { queue: QueueModel; failureQueue: SqsQueue }): SqsQueue {
  const deadLetter =
    queue.deadLetterName === undefined ? failureQueue : createQueue(stack, `${id}_queue_dead_letter`, { name: queue.deadLetterName, fifo: true })
  if (deadLetter !== failureQueue) new TerraformOutput(stack, `${id}_queue_dead_letter_arn`, { value: deadLetter.arn })
  return createQueue(stack, `${id}_queue`, {
    name: queue.name,
    fifo: queue.fifo,
    retentionSeconds: queue.retentionSeconds,
    visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
    redrive: { deadLetterArn: deadLetter.arn, maxReceiveCount: queue.maxReceives },
  })
}

/** What the task's function may do with its queue: consume it, nothing more. */
export function consumeStatement(queue: SqsQueue): PolicyStatement {
  return { ...CONSUME_QUEUE, Resource: queue.arn }
}

/**
 * The event source mapping that feeds the queue to the function in batches, with partial batch
 * responses (a failed message is retried alone, not with its batch). It waits for the role's
 * policy: Lambda checks that the role may read the queue when the mapping is made.
 */
export function addQueueMapping(
  stack: TerraformStack,
  id: string,
  spec: { queue: QueueModel; sqs: SqsQueue; fn: LambdaFunction; policy: IamRolePolicy },
): void {
  const { queue, sqs, fn, policy } = spec
  new LambdaEventSourceMapping(stack, `${id}_queue_mapping`, {
    eventSourceArn: sqs.arn,
    functionName: fn.functionName,
    batchSize: queue.batchSize,
    functionResponseTypes: ['ReportBatchItemFailures'],
    ...(queue.batchWindowSeconds > 0 ? { maximumBatchingWindowInSeconds: queue.batchWindowSeconds } : {}),
    ...(queue.maxConcurrency !== undefined ? { scalingConfig: { maximumConcurrency: queue.maxConcurrency } } : {}),
    dependsOn: [policy],
  })
  new TerraformOutput(stack, `${id}_queue_url`, { value: sqs.url })
  new TerraformOutput(stack, `${id}_queue_arn`, { value: sqs.arn })
}

/** What a caller needs to send to these queues: the client finds a queue's URL by its name, then sends. */
export function sendStatement(queues: readonly SqsQueue[]): PolicyStatement[] {
  return queues.length === 0 ? [] : [{ Effect: 'Allow', Action: ['sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: queues.map((q) => q.arn) }]
}
