import { taskFunctionName, taskLabel, taskQueueName } from '../names.js'
import { validate, type ValidationIssue } from '../validate.js'
import { durationSeconds } from '../duration.js'
import { sha256Hex } from '../payloads.js'
import { TaskInvokeError } from './errors.js'
import type { LambdaClientLike, SqsClientLike } from './lambda-client.js'
import { taskManifest, type ClientManifest, type TaskManifest } from './manifest.js'
import { deliveryTime, type TaskDelayOptions } from './delay.js'
import { eventOf, type DeliveryFields } from './event-body.js'
import { transport, type InvokeRequest, type InvokeResponse } from './transport.js'

/** Lambda's limit for an asynchronous invoke's payload: 1 MB (docs/lambda-facts.md). */
export const MAX_EVENT_PAYLOAD_BYTES = 1_048_576

/** EventBridge Scheduler's limit for a schedule's target input: 256 KB. */
export const MAX_SCHEDULE_INPUT_BYTES = 262_144

/** SQS's limit for one message, and for one SendMessageBatch: 1 MiB (docs/lambda-facts.md). */
export const MAX_QUEUE_MESSAGE_BYTES = 1_048_576

/** SQS's longest DelaySeconds: a queue task's call delayed this long at most is a delayed message; longer (with `"delay": true`) a one-time schedule. */
export const MAX_QUEUE_DELAY_SECONDS = 900

export type TaskCallOptions = TaskSendOptions & TaskDelayOptions

/** What the engine takes of any call: a task's options, whatever its kind (the typed front tells them apart by task). */
export type CallOptions = TaskCallOptions & { groupId?: string; deduplicationId?: string } & IdempotencyOptions

/** What a call of a task with `idempotency` takes besides its other options. */
export interface IdempotencyOptions {
  /**
   * Two calls with one key, within the task's idempotency window, run the handler to completion at
   * most once: 1 to 512 characters. A delayed call's key also names its schedule, and a FIFO
   * queue's message is deduplicated by it.
   */
  idempotencyKey?: string
}

/** The longest idempotency key: well within DynamoDB's 2 KB partition key, and short enough to log. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 512

/**
 * What a call of a task with `queue` takes: it sends one message to the task's SQS queue. A delay
 * of up to 15 minutes is SQS's DelaySeconds; with `"delay": true` a longer one (up to a year) is a
 * one-time schedule that sends the message then.
 */
export type TaskQueueCallOptions = TaskQueueSendOptions & TaskDelayOptions

export interface TaskQueueSendOptions {
  /** The stage to send to. @default TASK_GEN_STAGE, else the stage the client was generated for */
  stage?: string
  /** Check the payload against the task's payload type before sending. @default true */
  validate?: boolean
  /** The SQS client to send with. @default the configured one, else one shared client per process */
  client?: SqsClientLike
  /** The caller's W3C trace context (a `traceparent` header value): it travels in the event's envelope, and the task's log lines carry it. */
  traceparent?: string
}

/** What a call of a task with a FIFO queue takes: its message group, required; messages of one group run in order. */
export interface FifoTaskOptions extends TaskQueueSendOptions {
  /** The message group: 1 to 128 printable ASCII characters. */
  groupId: string
  /** Two messages with one id within 5 minutes are one. A single call only. @default the SHA-256 of the message */
  deduplicationId?: string
}

export interface TaskSendOptions {
  /** The stage to invoke. @default TASK_GEN_STAGE, else the stage the client was generated for */
  stage?: string
  /** Check the payload against the task's payload type before sending. @default true */
  validate?: boolean
  /** The Lambda client to send with. @default the configured one, else one shared client per process */
  client?: LambdaClientLike
  /** The caller's W3C trace context (a `traceparent` header value): it travels in the event's envelope, and the task's log lines carry it. */
  traceparent?: string
}

export interface TaskAccepted {
  /** Lambda's request id of the accepted event; for a delayed call, Scheduler's of the created schedule. */
  requestId: string
  /** A delayed call: the ARN of its one-time schedule, and when it runs. */
  schedule?: { arn: string; at: Date }
  functionName: string
  /** Requests it took, counting retries. */
  attempts: number
  /** A queue task's call: SQS's id of the message. */
  messageId?: string
  /** A delayed call with an idempotency key whose schedule an earlier call made: no second schedule was created. */
  duplicate?: true
}

const encoder = new TextEncoder()

/** The payload as Lambda receives it; a message instead when JSON cannot write it (a cycle or a bigint where the type is `unknown`, or too deep). */
export function serialize(payload: unknown): Uint8Array | undefined | { error: string } {
  if (payload === undefined) return undefined
  try {
    return encoder.encode(JSON.stringify(payload))
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : 'JSON.stringify failed' }
  }
}

/** The envelope's JSON around the payload's, already written for the size check: the payload is not serialized twice. */
function envelopeBody(envelope: Record<string, unknown>, payloadBody: Uint8Array | undefined): Uint8Array {
  const { payload: _payload, ...fields } = envelope
  const head = encoder.encode(JSON.stringify(fields))
  if (!payloadBody) return head
  const open = encoder.encode(',"payload":')
  const body = new Uint8Array(head.byteLength - 1 + open.byteLength + payloadBody.byteLength + 1)
  body.set(head.subarray(0, -1))
  body.set(open, head.byteLength - 1)
  body.set(payloadBody, head.byteLength - 1 + open.byteLength)
  body[body.byteLength - 1] = 0x7d // }
  return body
}

/** The task a call goes to, resolved once (the client makes one per task) and shared by each of its calls. */
export interface TaskTarget {
  manifest: ClientManifest
  stack: string
  task: string
  /** What each call's envelope carries, if it needs one. @default none */
  delivery?: DeliveryFields
  /** The payload's validation issues, when its call's target is made for it by a caller that has validated it already (a batch, ahead of its calls). @default validated by the call */
  checked?: ValidationIssue[]
}

/** Where a queue task's call goes, and how: resolved from its options, or a reason to refuse them. */
export interface QueueMessageTarget {
  name: string
  fifo: boolean
  delaySeconds?: number
  /** Delayed beyond DelaySeconds' 15 minutes: a one-time schedule sends the message at this time (the request's deliverAt). */
  scheduled?: true
  groupId?: string
  deduplicationId?: string
}

/** A W3C `traceparent`: version, trace id, parent id and flags, lowercase hex (https://www.w3.org/TR/trace-context/#traceparent-header). */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/

/** SQS's bounds on a FIFO message group id and deduplication id: 1 to 128 printable ASCII characters. */
const FIFO_ID = /^[!-~]{1,128}$/

/** A queue task's message options, checked as SQS would check them for its queue; a string is why they are refused. */
function queueMessage(spec: TaskManifest, name: string, options: CallOptions & { when: Date | undefined }): QueueMessageTarget | string {
  const fifo = spec.queue?.fifo === true
  const { groupId, deduplicationId, when } = options
  const message: QueueMessageTarget = { name, fifo }
  if (!fifo) {
    if (groupId !== undefined || deduplicationId !== undefined) return "groupId and deduplicationId are for FIFO queues; this task's queue is standard"
  } else {
    if (typeof groupId !== 'string' || !FIFO_ID.test(groupId))
      return `its queue is FIFO: give groupId, 1 to 128 printable ASCII characters (got ${JSON.stringify(groupId) ?? String(groupId)})`
    if (deduplicationId !== undefined && (typeof deduplicationId !== 'string' || !FIFO_ID.test(deduplicationId)))
      return `deduplicationId must be 1 to 128 printable ASCII characters (got ${JSON.stringify(deduplicationId) ?? String(deduplicationId)})`
    message.groupId = groupId
    if (deduplicationId !== undefined) message.deduplicationId = deduplicationId
    if (when) return 'a FIFO queue delays the whole queue, not one message: its calls cannot be delayed'
  }
  if (when) {
    // A duration is its own seconds ("15 minutes" is 900, whatever the clock reads now); a time is what is left of it, rounded up.
    const seconds = durationSeconds(options.delay) ?? Math.max(0, Math.ceil((when.getTime() - Date.now()) / 1000))
    if (seconds <= MAX_QUEUE_DELAY_SECONDS) message.delaySeconds = seconds
    // Longer than SQS can hold a message back: a one-time schedule sends it then, for a task with "delay" only.
    else if (spec.delay) message.scheduled = true
    else
      return `a queue task's call is delayed by SQS's DelaySeconds, at most ${MAX_QUEUE_DELAY_SECONDS / 60} minutes; it asked for ${seconds} seconds; set "delay": true on the task in the config and deploy to delay it longer, up to a year`
  }
  return message
}

/** A call's idempotency key, checked; a string is why it is refused. */
function idempotencyKeyOf(spec: TaskManifest, key: unknown): { key: string | undefined } | string {
  if (key === undefined) return { key: undefined }
  if (!spec.idempotency) return 'its calls take no idempotencyKey; set "idempotency": {} on the task in the config and deploy'
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return `idempotencyKey must be a string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (got ${describeKey(key)})`
  return { key }
}

function describeKey(key: unknown): string {
  if (typeof key === 'string') return `${key.length} characters`
  return typeof key === 'function' ? 'a function (one is for batch only)' : (JSON.stringify(key) ?? String(key))
}

/** What a key makes of a delayed call's schedule name (Scheduler's: at most 64 of [0-9a-zA-Z-_.]) and a FIFO message's deduplication id. */
function keyNames(task: string, key: string): { scheduleName: string; deduplicationId: string } {
  const digest = sha256Hex(encoder.encode(`${task}\n${key}`))
  return { scheduleName: `key-${digest.slice(0, 56)}`, deduplicationId: FIFO_ID.test(key) ? key : digest }
}

/** Validation and size: checked before anything is sent. Throws the TaskInvokeError the call would. */
/** A call's request, or the TaskInvokeError that refuses it. */
export function prepareInvoke(target: TaskTarget, payload: unknown, options: CallOptions): InvokeRequest {
  const { manifest, stack, task } = target
  const delivery = target.delivery ?? {}
  const stage = options.stage ?? process.env.TASK_GEN_STAGE ?? manifest.stage
  const functionName = taskFunctionName({ app: manifest.app, stage, stack, task })
  const context = { stack, task, functionName, attempts: 0 }
  const spec = taskManifest(manifest, stack, task)
  if (!spec)
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: this client has no such task; regenerate it`, { ...context, code: 'FUNCTION_NOT_FOUND' })
  const when = deliveryTime(options)
  if (!when.ok) throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: ${when.message}; nothing was sent`, { ...context, code: 'INVALID_OPTIONS' })
  const keyed = idempotencyKeyOf(spec, options.idempotencyKey)
  if (typeof keyed === 'string')
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: ${keyed}; nothing was sent`, { ...context, code: 'INVALID_OPTIONS' })
  // Only a delayed call and a FIFO message use the key's names: a plain keyed call hashes nothing.
  const names = keyed.key !== undefined && (options.delay !== undefined || options.at !== undefined || spec.queue?.fifo) ? keyNames(task, keyed.key) : undefined
  // A FIFO queue drops a second message with the key's id within its 5 minutes; the wrapper drops it after them.
  const deduplicationId = options.deduplicationId ?? (spec.queue?.fifo ? names?.deduplicationId : undefined)
  const queue = spec.queue
    ? queueMessage(spec, taskQueueName({ app: manifest.app, stage, stack, task }, spec.queue.fifo === true), { ...options, deduplicationId, when: when.at })
    : undefined
  if (typeof queue === 'string')
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: ${queue}; nothing was sent`, { ...context, code: 'INVALID_OPTIONS' })
  if (!queue && (options.groupId !== undefined || options.deduplicationId !== undefined)) {
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: groupId and deduplicationId are for tasks with a FIFO queue; nothing was sent`, {
      ...context,
      code: 'INVALID_OPTIONS',
    })
  }
  if (when.at && !spec.delay && !queue) {
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: its calls cannot be delayed; set "delay": true on the task in the config and deploy; nothing was sent`,
      { ...context, code: 'INVALID_OPTIONS' },
    )
  }
  if (options.validate !== false) {
    const issues = target.checked ?? validate(spec.payload, manifest.defs, payload)
    if (issues.length > 0) {
      const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')
      throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: the payload does not match its type; nothing was sent\n${lines}`, {
        ...context,
        code: 'INVALID_PAYLOAD',
        issues,
      })
    }
  }
  // The limits are the payload's: an offloaded payload is stored as its own JSON, and the event is then a small envelope.
  const payloadBody = serialize(payload)
  if (payloadBody && 'error' in payloadBody) {
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: the payload cannot be written as JSON (${payloadBody.error}); nothing was sent`, {
      ...context,
      code: 'INVALID_PAYLOAD',
    })
  }
  const size = payloadBody?.byteLength ?? 0
  const transportLimit = queue ? MAX_QUEUE_MESSAGE_BYTES : MAX_EVENT_PAYLOAD_BYTES
  const transportName = queue ? 'SQS accepts at most' : 'Lambda accepts at most'
  const transportUnit = queue ? 'for a message' : 'for an asynchronous invoke'
  const limit = manifest.payloads?.maxSize ?? transportLimit
  if (size > limit) {
    const accepts = manifest.payloads
      ? `the app's payloads.maxSize is ${limit}`
      : `${transportName} ${limit} ${transportUnit} (set "payloads" in task-gen.json to store larger ones in S3)`
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: the payload is ${size} bytes serialized; ${accepts}; nothing was sent`, {
      ...context,
      code: 'PAYLOAD_TOO_LARGE',
    })
  }
  // A queue task's message carries no time of its own: it waits in SQS (DelaySeconds) or in its schedule, and is sent as it would be now.
  if (options.traceparent !== undefined && (typeof options.traceparent !== 'string' || !TRACEPARENT.test(options.traceparent)))
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: traceparent must be a W3C trace context, version-traceid-parentid-flags in lowercase hex (got ${JSON.stringify(options.traceparent) ?? String(options.traceparent)}); nothing was sent`,
      { ...context, code: 'INVALID_OPTIONS' },
    )
  const traced = options.traceparent === undefined ? delivery : { ...delivery, traceparent: options.traceparent }
  const keyedDelivery = keyed.key === undefined ? traced : { ...traced, idempotencyKey: keyed.key }
  const fields = when.at && !queue ? { ...keyedDelivery, deliverAt: when.at.toISOString() } : keyedDelivery
  const event = eventOf(payload, fields)
  const scheduled = when.at !== undefined && (!queue || queue.scheduled === true)
  // An event sent by a schedule travels whole in its input, envelope and all: a stored payload could expire (after days) before a delay of up to a year.
  const offload = manifest.payloads !== undefined && size > manifest.payloads.offloadAbove && !scheduled
  // The transport wraps an offloaded payload's reference in the envelope itself, with the call's delivery fields.
  const body = offload || event === payload ? payloadBody : envelopeBody(event as Record<string, unknown>, payloadBody)
  // A delayed event travels whole in its schedule's input, offloaded or not: it must fit there.
  if (scheduled && body && body.byteLength > MAX_SCHEDULE_INPUT_BYTES) {
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: the delayed event is ${body.byteLength} bytes serialized; a schedule's input holds at most ${MAX_SCHEDULE_INPUT_BYTES}; nothing was sent`,
      { ...context, code: 'PAYLOAD_TOO_LARGE' },
    )
  }
  if (!offload && body && body.byteLength > transportLimit) {
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: the event is ${body.byteLength} bytes serialized with its envelope; ${transportName} ${transportLimit} ${transportUnit}; nothing was sent`,
      { ...context, code: 'PAYLOAD_TOO_LARGE' },
    )
  }
  return {
    app: manifest.app,
    stack,
    task,
    stage,
    functionName,
    region: manifest.region,
    payload,
    body,
    offload,
    delivery: fields,
    client: options.client,
    ...(queue ? { queue } : {}),
    ...(scheduled ? { deliverAt: when.at } : {}),
    ...(scheduled && names ? { scheduleName: names.scheduleName } : {}),
  }
}

function attemptsOf(error: unknown): number {
  return (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1
}

/** SQS's names for a queue that does not exist: the JSON protocol's, and the query protocol's code. */
const NO_SUCH_QUEUE = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'])

/** Every way a send can fail becomes a TaskInvokeError here, and only here. */
export function invokeFailure(request: InvokeRequest, error: unknown): TaskInvokeError {
  const { stack, task, functionName, stage } = request
  const context = { stack, task, functionName, attempts: attemptsOf(error), cause: error }
  if (error instanceof TaskInvokeError) return error
  const message = error instanceof Error ? error.message : String(error)
  if (request.queue) {
    const name = (error as { name?: string }).name ?? ''
    if (NO_SUCH_QUEUE.has(name))
      return new TaskInvokeError(
        `Task ${taskLabel(stack, task)}: no SQS queue named ${request.queue.name} (stage "${stage}"); is the stack deployed to this stage and region?`,
        { ...context, code: 'QUEUE_NOT_FOUND' },
      )
    const sending = request.deliverAt ? `scheduling the message to ${request.queue.name}` : `sending to ${request.queue.name}`
    return new TaskInvokeError(`Task ${taskLabel(stack, task)}: ${sending} failed after ${context.attempts} attempt(s): ${message}`, {
      ...context,
      code: 'INVOKE_FAILED',
    })
  }
  if ((error as { name?: string }).name === 'ResourceNotFoundException') {
    return new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: no Lambda function named ${functionName} (stage "${stage}"); is the stack deployed to this stage and region?`,
      { ...context, code: 'FUNCTION_NOT_FOUND' },
    )
  }
  return new TaskInvokeError(`Task ${taskLabel(stack, task)}: invoking ${functionName} failed after ${context.attempts} attempt(s): ${message}`, {
    ...context,
    code: 'INVOKE_FAILED',
  })
}

/** Sends one event; resolves only once Lambda has accepted it (HTTP 202), and rejects with a TaskInvokeError otherwise. */
export async function invokeTask(target: TaskTarget, payload: unknown, options: CallOptions = {}): Promise<TaskAccepted> {
  const request = prepareInvoke(target, payload, options)
  let response: InvokeResponse
  try {
    response = await transport()(request)
  } catch (error) {
    throw invokeFailure(request, error)
  }
  if (response.messageId !== undefined)
    return { requestId: response.requestId, functionName: request.functionName, attempts: response.attempts, messageId: response.messageId }
  if (response.schedule)
    return {
      requestId: response.requestId,
      functionName: request.functionName,
      attempts: response.attempts,
      schedule: response.schedule,
      ...(response.duplicate ? { duplicate: true as const } : {}),
    }
  if (response.statusCode !== 202) {
    const { stack, task } = target
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: Lambda answered ${response.statusCode} for ${request.functionName}, not 202: the event was not accepted`,
      {
        stack,
        task,
        functionName: request.functionName,
        attempts: response.attempts,
        code: 'NOT_ACCEPTED',
      },
    )
  }
  return { requestId: response.requestId, functionName: request.functionName, attempts: response.attempts }
}
