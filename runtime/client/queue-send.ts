import { TaskInvokeError } from './errors.js'
import type { QueueMessageTarget } from './invoke.js'
import { loadSqsSdk, queueUrl, sqsClient } from './sqs-client.js'
import { eventBody, type InvokeRequest, type InvokeResponse } from './transport.js'

/** What a message carries for a call without a payload: SQS refuses an empty body, and the task wrapper reads `{}` as none, as Lambda's own empty event. */
const NO_PAYLOAD = '{}'

const decoder = new TextDecoder()

/** The message's fields, as SendMessage and a SendMessageBatch entry both take them; the body stored first when it is offloaded. */
export async function messageOf(request: InvokeRequest, queue: QueueMessageTarget) {
  const body = await eventBody(request)
  return {
    MessageBody: body ? decoder.decode(body) : NO_PAYLOAD,
    ...(queue.delaySeconds ? { DelaySeconds: queue.delaySeconds } : {}),
    ...(queue.groupId !== undefined ? { MessageGroupId: queue.groupId } : {}),
    ...(queue.deduplicationId !== undefined ? { MessageDeduplicationId: queue.deduplicationId } : {}),
  }
}

/** A queue task's call: one SendMessage to its queue; resolves once SQS has accepted the message. */
export async function sendToQueue(request: InvokeRequest, queue: QueueMessageTarget): Promise<InvokeResponse> {
  const { SendMessageCommand } = await loadSqsSdk()
  const client = await sqsClient(request.region, request.client)
  const [QueueUrl, message] = await Promise.all([queueUrl(client, queue.name), messageOf(request, queue)])
  const response = await client.send(new SendMessageCommand({ QueueUrl, ...message }))
  if (typeof response.MessageId !== 'string') {
    throw new TaskInvokeError(`SQS answered SendMessage to ${queue.name} without a MessageId`, {
      code: 'NOT_ACCEPTED',
      stack: request.stack,
      task: request.task,
      functionName: request.functionName,
      attempts: response.$metadata?.attempts ?? 1,
    })
  }
  return {
    statusCode: response.$metadata?.httpStatusCode,
    requestId: response.$metadata?.requestId ?? '',
    attempts: response.$metadata?.attempts ?? 1,
    messageId: response.MessageId,
  }
}
