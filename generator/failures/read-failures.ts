import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { decodeFailure, type DecodedFailure } from '../../runtime/failures/decode-failure.js'
import type { Model, TaskModel } from '../model/model.js'

export interface FailureFilter {
  stack?: string
  task?: string
  /** At most this many records in all. */
  limit: number
}

export type ListedFailure = DecodedFailure & { messageId: string; queue: string }

export interface FailureListing {
  failures: ListedFailure[]
  /** Failure queues that do not exist: their stacks are not deployed to this stage and region. */
  missingQueues: string[]
}

function selectTasks(model: Model, filter: FailureFilter): TaskModel[] {
  return model.stacks
    .flatMap((s) => s.tasks)
    .filter((t) => (filter.stack === undefined || t.stack === filter.stack) && (filter.task === undefined || t.name === filter.task))
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl
  } catch (error) {
    if ((error as { name?: string }).name === 'QueueDoesNotExist' || (error as { name?: string }).name === 'AWS.SimpleQueueService.NonExistentQueue') return undefined
    throw error
  }
}

/**
 * Reads the records on the failure queues without consuming them: each received message is made
 * visible again at once, so a later list or replay sees it too.
 */
export async function readFailures(model: Model, filter: FailureFilter, sqs = new SQSClient({ region: process.env.AWS_REGION ?? model.region })): Promise<FailureListing> {
  const index = { app: model.app, tasks: model.stacks.flatMap((s) => s.tasks.map((t) => ({ stack: t.stack, task: t.name }))) }
  const failures: ListedFailure[] = []
  const missingQueues: string[] = []
  for (const task of selectTasks(model, filter)) {
    if (failures.length >= filter.limit) break
    const url = await queueUrl(sqs, task.names.failureQueue)
    if (!url) {
      missingQueues.push(task.names.failureQueue)
      continue
    }
    // Received messages stay hidden while the listing goes on, so each receive brings new ones;
    // then all are made visible again at once (one by one: moto ignores the batch form).
    const received: string[] = []
    try {
      for (;;) {
        const wanted = Math.min(10, filter.limit - failures.length)
        if (wanted <= 0) break
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: wanted, VisibilityTimeout: 60, WaitTimeSeconds: 0 }))
        if (Messages.length === 0) break
        for (const message of Messages) {
          received.push(message.ReceiptHandle!)
          failures.push({ ...decodeFailure(message.Body ?? '', index), messageId: message.MessageId!, queue: task.names.failureQueue })
        }
      }
    } finally {
      await Promise.all(received.map((handle) => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }))))
    }
  }
  return { failures, missingQueues }
}
