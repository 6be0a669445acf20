import { openEvent, type PayloadReference } from '../envelope.js'
import { snsPayload, snsRecords } from '../handler/sns-event.js'
import { sqsPayload, sqsRecords } from '../handler/sqs-event.js'

/**
 * Lambda's on-failure record (the body of the SQS message on a task's failure queue), decoded
 * into a TaskFailure. The format is in docs/lambda-facts.md; the task wrapper writes the same shape.
 * A scheduled task's failure queue is also its schedules' dead-letter queue: EventBridge Scheduler
 * puts there what it could not deliver, the target input as the body and the details as message
 * attributes; that decodes too, with `schedule` set.
 */

export interface TaskFailureError {
  type: string
  message: string
  /** The stack as the runtime wrote it, one line each (Node.js: `<type>: <message>`, then the frames); empty when the record has none. */
  stack: string
}

export interface TaskFailure {
  stack: string
  task: string
  /** `RetriesExhausted`, `EventAgeExceeded`, and from the task wrapper `ValidationFailed` or `NonRetryable`. */
  condition: string
  error: TaskFailureError
  /** How many times Lambda ran the event. */
  attempts: number
  functionArn: string
  requestId: string
  timestamp: string
  /**
   * The payload the task was invoked with (a topic delivery's: the published payload, unwrapped
   * from SNS's event; an envelope's: its payload). Undefined when it was stored in S3: then
   * `payloadRef` says where, and `resolveFailurePayload` reads it.
   */
  payload: unknown
  /** Where the payload is stored, when it was too large to travel inline (the object outlives the record). */
  payloadRef?: PayloadReference
  /**
   * What delivered the event: `topic` (an SNS delivery, `topic` names its ARN), `schedule` (a
   * schedule's dead-letter event), else `invoke`. A scheduled run that failed in the handler is
   * a plain async invoke to Lambda, and reads as `invoke`.
   */
  source: FailureSource
  /** The ARN of the topic whose delivery failed, with `source: 'topic'`. */
  topic?: string
  /** The ARN of the task's queue whose message failed its last receive, with `source: 'queue'`. */
  queue?: string
  /**
   * The ARN of the schedule that could not invoke the task (an EventBridge Scheduler dead-letter
   * event; `condition` is then `ScheduleDeliveryFailed`). Absent on Lambda's records, whatever
   * invoked the task: a scheduled run that failed in the handler reads like any other.
   */
  schedule?: string
}

export type FailureSource = 'invoke' | 'queue' | 'topic' | 'schedule'

/** An SQS message's string attributes, by name. */
export type MessageAttributes = Readonly<Record<string, string | undefined>>

export type DecodedFailure = { ok: true; failure: TaskFailure } | { ok: false; reason: string; body: string }

/** Which task a function name belongs to: the names are `<app>-<stage>-<stack>-<task>`. */
export interface FailureTaskIndex {
  app: string
  tasks: readonly { stack: string; task: string }[]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → name. */
export function functionNameOfArn(arn: string): string | undefined {
  const parts = arn.split(':')
  return parts[0] === 'arn' && parts[5] === 'function' && parts[6] ? parts[6] : undefined
}

function taskOf(index: FailureTaskIndex, functionName: string): { stack: string; task: string } | undefined {
  if (!functionName.startsWith(`${index.app}-`)) return undefined
  // The stage sits between app and stack and may hold hyphens; the longest stack-task suffix wins.
  const matches = index.tasks.filter(({ stack, task }) => {
    const suffix = `-${stack}-${task}`
    return functionName.endsWith(suffix) && functionName.length > index.app.length + 1 + suffix.length
  })
  return matches.sort((a, b) => b.stack.length + b.task.length - (a.stack.length + a.task.length))[0]
}

/** A stack as lines (or one string), joined; undefined when it is neither. */
function stackOf(trace: unknown): string | undefined {
  if (Array.isArray(trace)) return trace.filter((line) => typeof line === 'string').join('\n')
  return typeof trace === 'string' ? trace : undefined
}

function errorOf(response: unknown, condition: string): TaskFailureError {
  if (!isObject(response)) {
    const message = condition === 'EventAgeExceeded' ? 'the event was older than maxEventAge before it could run' : 'no error was recorded'
    return { type: condition, message, stack: '' }
  }
  return {
    type: typeof response.errorType === 'string' ? response.errorType : 'Error',
    message: typeof response.errorMessage === 'string' ? response.errorMessage : JSON.stringify(response),
    // Node.js writes `trace`; other runtimes and older records `stackTrace`.
    stack: stackOf(response.trace) ?? stackOf(response.stackTrace) ?? '',
  }
}

/** A record that cannot be decoded: the reason, and its body, kept. */
function failing(body: string): (reason: string) => DecodedFailure {
  return (reason) => ({ ok: false, reason, body })
}

/** EventBridge Scheduler's dead-letter event: the body is the input it could not deliver, the rest is in attributes. */
function decodeScheduleEvent(body: string, index: FailureTaskIndex, attributes: MessageAttributes): DecodedFailure {
  const fail = failing(body)
  const functionArn = attributes.TARGET_ARN ?? ''
  const functionName = functionNameOfArn(functionArn)
  if (!functionName) return fail(`a schedule's dead-letter event whose TARGET_ARN is not a Lambda function ARN: ${functionArn || 'none'}`)
  const owner = taskOf(index, functionName)
  if (!owner) return fail(`the function ${functionName} is not a task of the app "${index.app}"`)
  let payload: unknown
  try {
    payload = body === '' ? undefined : JSON.parse(body)
  } catch {
    return fail("a schedule's dead-letter event whose body is not JSON")
  }
  return {
    ok: true,
    failure: {
      ...owner,
      condition: 'ScheduleDeliveryFailed',
      error: {
        type: attributes.ERROR_CODE ?? 'ScheduleDeliveryFailed',
        message: attributes.ERROR_MESSAGE ?? 'EventBridge Scheduler could not invoke the task',
        stack: '',
      },
      attempts: 0,
      functionArn,
      requestId: attributes.EXECUTION_ID ?? '',
      timestamp: '',
      payload,
      source: 'schedule',
      schedule: attributes.SCHEDULE_ARN!,
    },
  }
}

/** The payload of a record's request, and what delivered it: an SNS event is unwrapped to its message. */
function deliveredPayload(request: unknown): Pick<TaskFailure, 'payload' | 'payloadRef' | 'source' | 'topic' | 'queue'> {
  const message = sqsRecords(request)?.[0]
  if (message) {
    const parsed = sqsPayload(message)
    return { ...(parsed.ok ? envelopedPayload(parsed.payload) : { payload: message.body }), source: 'queue', queue: message.eventSourceARN }
  }
  const record = snsRecords(request)?.[0]
  if (!record) return { ...envelopedPayload(request), source: 'invoke' }
  const parsed = snsPayload(record)
  // A message that is not JSON stays as its text: the record is kept, not dropped.
  return { ...(parsed.ok ? envelopedPayload(parsed.payload) : { payload: record.Sns.Message }), source: 'topic', topic: record.Sns.TopicArn }
}

/** The payload inside a task-gen envelope, or its reference when it was stored in S3; any other event (an envelope this runtime cannot read too) is kept as it is. */
function envelopedPayload(event: unknown): Pick<TaskFailure, 'payload' | 'payloadRef'> {
  const opened = openEvent(event)
  if (opened.kind !== 'envelope') return { payload: event }
  const { payload, payloadRef } = opened.envelope
  return payloadRef ? { payload: undefined, payloadRef } : { payload }
}

/**
 * Decodes one failure record, from its body and, for a schedule's dead-letter event, its message
 * attributes. Unknown fields are ignored; a record that cannot be decoded comes back with the
 * reason and its body, so that the caller keeps it rather than dropping it.
 */
export function decodeFailure(body: string, index: FailureTaskIndex, attributes: MessageAttributes = {}): DecodedFailure {
  if (attributes.SCHEDULE_ARN !== undefined) return decodeScheduleEvent(body, index, attributes)
  const fail = failing(body)
  let record: unknown
  try {
    record = JSON.parse(body)
  } catch {
    return fail('the message is not JSON')
  }
  if (!isObject(record)) return fail('the message is not a JSON object')
  const context = record.requestContext
  if (!isObject(context)) return fail('it has no requestContext: not a Lambda on-failure record')
  const functionArn = context.functionArn
  if (typeof functionArn !== 'string') return fail('requestContext.functionArn is missing')
  const functionName = functionNameOfArn(functionArn)
  if (!functionName) return fail(`requestContext.functionArn is not a Lambda function ARN: ${functionArn}`)
  const owner = taskOf(index, functionName)
  if (!owner) return fail(`the function ${functionName} is not a task of the app "${index.app}"`)
  const condition = typeof context.condition === 'string' ? context.condition : 'Unknown'
  return {
    ok: true,
    failure: {
      ...owner,
      condition,
      error: errorOf(record.responsePayload, condition),
      attempts: typeof context.approximateInvokeCount === 'number' ? context.approximateInvokeCount : 0,
      functionArn,
      requestId: typeof context.requestId === 'string' ? context.requestId : '',
      timestamp: typeof record.timestamp === 'string' ? record.timestamp : '',
      ...deliveredPayload(record.requestPayload),
    },
  }
}
