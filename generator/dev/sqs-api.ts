import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJsonObject } from './read-body.js'
import type { DevQueue, SendRequest } from './dev-queue.js'

/**
 * The part of SQS's API that a client of a queue task calls, in SQS's JSON protocol (what the
 * AWS SDKs speak to SQS now: `POST /` with `X-Amz-Target: AmazonSQS.<Action>`): GetQueueUrl,
 * SendMessage and SendMessageBatch, with SQS's limits and error codes.
 */

/** SQS's limit for one message, and for a whole SendMessageBatch (docs/lambda-facts.md). */
export const MAX_SQS_MESSAGE_BYTES = 1_048_576
const MAX_BATCH_ENTRIES = 10
const MAX_DELAY_SECONDS = 900
/** What dev reads of an SQS request at most: a batch at its limit, written as JSON with escapes, fits. */
const MAX_REQUEST_BYTES = 8 * MAX_SQS_MESSAGE_BYTES

export interface SqsTarget {
  /** The queue of this app and stage with that name, or undefined. */
  queue(name: string): DevQueue | undefined
  /** What queue URLs start with: the endpoint and the account. */
  urlPrefix: string
}

class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly queryCode: string = code,
  ) {
    super(message)
  }
}

function answer(res: ServerResponse, { status, body, headers = {} }: { status: number; body: unknown; headers?: Record<string, string> }): void {
  const text = JSON.stringify(body)
  res
    .writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...headers,
    })
    .end(text)
}

function sendSqsError(res: ServerResponse, error: SqsError): void {
  // The SDKs read `__type`; those of the query protocol's days read the code from x-amzn-query-error.
  answer(res, {
    status: 400,
    body: { __type: `com.amazonaws.sqs#${error.code}`, message: error.message },
    headers: { 'x-amzn-query-error': `${error.queryCode};Sender` },
  })
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const input = await readJsonObject(req, MAX_REQUEST_BYTES)
  if (input === 'too large') throw new SqsError('BatchRequestTooLong', `The request is larger than ${MAX_REQUEST_BYTES} bytes`)
  if (input === 'not an object') throw new SqsError('InvalidParameterValue', 'The request body is not a JSON object', 'InvalidParameterValue')
  return input
}

function stringField(input: Record<string, unknown>, name: string, required: true): string
function stringField(input: Record<string, unknown>, name: string, required?: false): string | undefined
function stringField(input: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = input[name]
  if (value === undefined || value === null) {
    if (required) throw new SqsError('MissingParameter', `The request must contain the parameter ${name}.`)
    return undefined
  }
  if (typeof value !== 'string') throw new SqsError('InvalidParameterValue', `Value for parameter ${name} is invalid. Reason: must be a string.`)
  return value
}

/** The queue a URL names: its last path segment, under this endpoint and account. */
function queueOf(target: SqsTarget, input: Record<string, unknown>): DevQueue {
  const url = stringField(input, 'QueueUrl', true)
  const name = url.startsWith(`${target.urlPrefix}/`) ? url.slice(target.urlPrefix.length + 1) : undefined
  const queue = name === undefined ? undefined : target.queue(name)
  if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue')
  return queue
}

/** One message of SendMessage or of a batch entry, checked as SQS checks it for this queue. */
function messageOf(queue: DevQueue, input: Record<string, unknown>): SendRequest {
  const body = stringField(input, 'MessageBody', true)
  if (body === '') throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.')
  const bytes = Buffer.byteLength(body)
  if (bytes > MAX_SQS_MESSAGE_BYTES)
    throw new SqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_SQS_MESSAGE_BYTES} bytes.`)
  const delay = input.DelaySeconds
  if (delay !== undefined && (!Number.isInteger(delay) || (delay as number) < 0 || (delay as number) > MAX_DELAY_SECONDS))
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${String(delay)} for parameter DelaySeconds is invalid. Reason: must be between 0 and ${MAX_DELAY_SECONDS}.`,
    )
  const groupId = stringField(input, 'MessageGroupId')
  const deduplicationId = stringField(input, 'MessageDeduplicationId')
  if (queue.settings.fifo) {
    if (groupId === undefined) throw new SqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.')
    if (delay !== undefined && delay !== 0)
      throw new SqsError(
        'InvalidParameterValue',
        'Value for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
      )
  } else if (deduplicationId !== undefined) {
    throw new SqsError('InvalidParameterValue', 'The request include parameter MessageDeduplicationId that is not valid for this queue type.')
  }
  return {
    body,
    ...(typeof delay === 'number' ? { delaySeconds: delay } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    ...(deduplicationId !== undefined ? { deduplicationId } : {}),
  }
}

function sent(result: { messageId: string; md5OfBody: string; sequenceNumber?: string }) {
  return { MessageId: result.messageId, MD5OfMessageBody: result.md5OfBody, ...(result.sequenceNumber ? { SequenceNumber: result.sequenceNumber } : {}) }
}

function getQueueUrl(target: SqsTarget, input: Record<string, unknown>) {
  const name = stringField(input, 'QueueName', true)
  if (!target.queue(name)) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue')
  return { QueueUrl: `${target.urlPrefix}/${name}` }
}

function sendMessage(target: SqsTarget, input: Record<string, unknown>) {
  const queue = queueOf(target, input)
  return sent(queue.send(messageOf(queue, input)))
}

/** Each entry succeeds or fails alone, as SQS answers; the request as a whole fails only for its shape. */
function sendMessageBatch(target: SqsTarget, input: Record<string, unknown>) {
  const queue = queueOf(target, input)
  const entries = input.Entries
  if (!Array.isArray(entries) || entries.length === 0)
    throw new SqsError(
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
      'AWS.SimpleQueueService.EmptyBatchRequest',
    )
  if (entries.length > MAX_BATCH_ENTRIES)
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    )
  const ids = entries.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).Id : undefined))
  if (ids.some((id) => typeof id !== 'string' || !/^[\w-]{1,80}$/.test(id)))
    throw new SqsError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      'AWS.SimpleQueueService.InvalidBatchEntryId',
    )
  if (new Set(ids).size !== ids.length)
    throw new SqsError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    )
  const total = entries.reduce(
    (n: number, entry: Record<string, unknown>) => n + (typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody) : 0),
    0,
  )
  if (total > MAX_SQS_MESSAGE_BYTES)
    throw new SqsError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${MAX_SQS_MESSAGE_BYTES} bytes. You have sent ${total} bytes.`,
      'AWS.SimpleQueueService.BatchRequestTooLong',
    )
  const Successful: unknown[] = []
  const Failed: unknown[] = []
  for (const entry of entries as Record<string, unknown>[]) {
    try {
      Successful.push({ Id: entry.Id, ...sent(queue.send(messageOf(queue, entry))) })
    } catch (error) {
      if (!(error instanceof SqsError)) throw error
      Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message })
    }
  }
  return { Successful, Failed }
}

const ACTIONS: Record<string, (target: SqsTarget, input: Record<string, unknown>) => unknown> = {
  GetQueueUrl: getQueueUrl,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
}

/** Answers one SQS request; `action` is what follows `AmazonSQS.` in X-Amz-Target. */
export async function handleSqsRequest(req: IncomingMessage, res: ServerResponse, { action, target }: { action: string; target: SqsTarget }): Promise<void> {
  try {
    const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined
    if (!run)
      throw new SqsError(
        'UnsupportedOperation',
        `task-gen dev serves SQS's GetQueueUrl, SendMessage and SendMessageBatch, not ${action}`,
        'AWS.SimpleQueueService.UnsupportedOperation',
      )
    const input = await readJson(req)
    answer(res, { status: 200, body: run(target, input) })
  } catch (error) {
    if (!(error instanceof SqsError)) throw error
    if (!req.complete) req.resume() // what is left of the request is read and dropped, so the answer is not lost to a reset
    if (!res.headersSent) sendSqsError(res, error)
  }
}
