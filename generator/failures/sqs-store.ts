import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { awsCall } from '../errors/aws-call.js'
import type { Model } from '../model/model.js'
import type { FailureQueue, FailureStore, HeldMessage } from './failure-store.js'

/** How long a received message stays hidden from other readers if this one dies before releasing it. */
const HOLD_SECONDS = 300

/** Every SQS call goes through here, so that a cloud failure is one line naming the queue and region. */
type SqsCall = <T>(operation: string, queue: string, call: () => Promise<T>) => Promise<T>

function sqsCaller(region: string): SqsCall {
  return (operation, queue, call) => awsCall({ service: 'SQS', operation, region, resource: `queue ${queue}` }, call)
}

async function queueUrl(sqs: SQSClient, call: SqsCall, name: string): Promise<string | undefined> {
  return call('GetQueueUrl', name, async () => {
    try {
      return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl
    } catch (error) {
      const code = (error as { name?: string }).name
      if (code === 'QueueDoesNotExist' || code === 'AWS.SimpleQueueService.NonExistentQueue') return undefined
      throw error
    }
  })
}

function sqsQueue({ sqs, call }: { sqs: SQSClient; call: SqsCall }, { name, url }: { name: string; url: string }): FailureQueue {
  const handles = new Map<HeldMessage, string>()
  const handleOf = (message: HeldMessage) => handles.get(message) ?? fail(`message ${message.id} is not held`)
  return {
    name,
    async receive(max) {
      // Held messages stay hidden, so each receive brings new ones. A short wait makes it a long
      // poll, which asks every SQS server: a short poll can come back empty from a small queue.
      const { Messages = [] } = await call('ReceiveMessage', name, () =>
        sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: max,
            VisibilityTimeout: HOLD_SECONDS,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
        ),
      )
      return Messages.map((m) => {
        const attributes = Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]))
        const message = { id: m.MessageId!, body: m.Body ?? '', sentAt: Number(m.Attributes?.SentTimestamp ?? 0), attributes }
        handles.set(message, m.ReceiptHandle!)
        return message
      })
    },
    async release(messages) {
      // One by one: moto ignores ChangeMessageVisibilityBatch.
      await Promise.all(
        messages.map((m) =>
          call('ChangeMessageVisibility', name, () =>
            sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handleOf(m), VisibilityTimeout: 0 })),
          ),
        ),
      )
    },
    async delete(message) {
      await call('DeleteMessage', name, () => sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handleOf(message) })))
      handles.delete(message)
    },
  }
}

function fail(message: string): never {
  throw new Error(message)
}

/** The failure queues of a deployed stage, in the model's region (AWS_REGION overrides it). */
export function sqsFailureStore(model: Model, region = process.env.AWS_REGION ?? model.region, sqs = new SQSClient({ region })): FailureStore {
  const call = sqsCaller(region)
  return {
    async queue(name) {
      const url = await queueUrl(sqs, call, name)
      return url ? sqsQueue({ sqs, call }, { name, url }) : undefined
    },
  }
}
