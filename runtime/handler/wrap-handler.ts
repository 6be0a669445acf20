import { taskLabel } from '../names.js'
import { fetchPayload, sharedS3Client } from '../payloads.js'
import type { Schema, SchemaDefs } from '../schema.js'
import { validate } from '../validate.js'
import { openEvent, type Envelope } from '../envelope.js'
import { failureRecord, lambdaErrorPayload, lambdaFailureRecord, type FailureRecord } from './failure-record.js'
import { refuseCallbackHandler } from './callback-handler.js'
import { isNonRetryable } from './non-retryable-error.js'
import { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store.js'
import { KeyInProgressError, newClaim, type IdempotencySpec, type IdempotencyStore } from './idempotency.js'
import { snsPayload, snsRecords } from './sns-event.js'
import { receiveCount, sqsPayload, sqsRecords, type SqsRecord } from './sqs-event.js'

export interface LambdaContextLike {
  awsRequestId: string
  invokedFunctionArn: string
}

export interface TaskSpec {
  stack: string
  task: string
  payload: Schema
  defs: SchemaDefs
  /** A queue task's receives of a message: its last failed one writes the failure record. */
  maxReceives?: number
  /** A task with `idempotency`: a call's key is claimed before its handler runs. */
  idempotency?: IdempotencySpec
}

/** A queue batch's answer: the messages SQS should deliver again. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[]
}

type Attempt<Result> = (payload: unknown, context: LambdaContextLike, delivery: Delivery) => Promise<Result | undefined>

/**
 * How an event reached the handler: `recorded` is what a failure record keeps; `unreadable` why
 * there is no payload; `attempt` the queue's receive count; `key` the call's idempotency key and
 * `owner` what identifies this delivery across its retries (the queue message id; else the request id).
 */
interface Delivery {
  recorded: unknown
  unreadable?: string
  attempt?: number
  key?: string
  owner?: string
  /** The caller's W3C trace context, from the envelope: each log line of the attempt carries it. */
  traceparent?: string
}

/** Where a record goes that must not wait for retries; the default sends it to the task's failure queue. */
export type RecordSender = (record: FailureRecord) => Promise<void>

/** What `task-gen dev` (and a test) replaces: where records go, and where idempotency keys are kept. @default the task's failure queue and DynamoDB table */
export interface WrapperHooks {
  send?: RecordSender
  keys?: IdempotencyStore
}

type Outcome = 'success' | 'error' | 'invalid-payload' | 'non-retryable' | 'duplicate'

// Lambda retries an async event under the same request id; count what this instance has seen.
const seen = new Map<string, number>()

function attemptOf(requestId: string): number {
  const attempt = (seen.get(requestId) ?? 0) + 1
  seen.set(requestId, attempt)
  if (seen.size > 1000) seen.delete(seen.keys().next().value!)
  return attempt
}

async function sendToFailureQueue(record: FailureRecord): Promise<void> {
  const url = process.env.TASK_GEN_FAILURE_QUEUE_URL
  if (!url) throw new Error('task-gen: TASK_GEN_FAILURE_QUEUE_URL is not set; cannot send the failure record')
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs')
  await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(record) }))
}

function log(line: Record<string, unknown>): void {
  console.log(JSON.stringify({ taskGen: 1, ...line }))
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
}

/**
 * Lambda hands an invoke without a payload to the handler as `{}`. For a task that takes no
 * payload, or an optional one that `{}` does not match, that means "no payload".
 */
export function withoutEmptyEvent(spec: TaskSpec, payload: unknown): unknown {
  if (!isEmptyObject(payload) || validate(spec.payload, spec.defs, payload).length === 0) return payload
  return validate(spec.payload, spec.defs, undefined).length === 0 ? undefined : payload
}

interface UnwrappedEvent {
  kind: 'plain' | 'envelope' | 'invalid'
  payload: unknown
  envelope?: Envelope
  /** Why there is no payload to validate: an envelope this wrapper cannot read. */
  unreadable?: string
}

/**
 * The payload of an event: a plain event is the payload (an empty one read as Lambda hands it,
 * see withoutEmptyEvent); an envelope's payload is its `payload` field, absent meaning none; an
 * envelope of a newer version, or malformed, has none, and fails as an invalid payload would.
 */
export function unwrapEvent(spec: TaskSpec, event: unknown): UnwrappedEvent {
  const opened = openEvent(event)
  if (opened.kind === 'plain') return { kind: 'plain', payload: withoutEmptyEvent(spec, event) }
  if (opened.kind === 'invalid') return { kind: 'invalid', payload: undefined, unreadable: opened.message }
  return { kind: 'envelope', payload: opened.envelope.payload, envelope: opened.envelope }
}

/**
 * An envelope whose payload was stored in S3, with the payload read back and checked. A missing or
 * altered object is `unreadable`, as a newer envelope is (retrying cannot help); a transient S3
 * error is thrown, for Lambda to retry.
 */
async function withStoredPayload(opened: UnwrappedEvent): Promise<UnwrappedEvent> {
  const reference = opened.envelope?.payloadRef
  if (!reference) return opened
  const fetched = await fetchPayload(await sharedS3Client(undefined), reference)
  return fetched.ok ? { ...opened, payload: fetched.payload } : { ...opened, payload: undefined, unreadable: fetched.message }
}

/** The call's idempotency key, if its envelope has one, and who holds it (`owner`: a message's id, else the request id); and its trace context. */
function keyOf(opened: { envelope?: Envelope; payload: unknown }, owner?: string): Pick<Delivery, 'key' | 'owner' | 'traceparent'> {
  const key = opened.envelope?.idempotencyKey
  const traceparent = opened.envelope?.traceparent
  return { ...(key === undefined ? {} : { key, ...(owner ? { owner } : {}) }), ...(traceparent ? { traceparent } : {}) }
}

/** The user's handler, typed by its own signature; the wrapper validates what reaches it. */
// biome-ignore lint/suspicious/noExplicitAny: whatever the user's handler declares
type UserHandler<Result> = (payload: any, context: any) => Result | Promise<Result>

/**
 * Wraps a task handler: one structured log line per attempt; a payload that does not match its
 * type, or a NonRetryableError, sends its failure record at once and ends the invocation without
 * error (retrying cannot help); any other error is rethrown, for Lambda to retry.
 */
export function wrapHandler<Result>(handler: UserHandler<Result>, spec: TaskSpec, hooks: RecordSender | WrapperHooks = {}) {
  const { send = sendToFailureQueue, keys } = typeof hooks === 'function' ? { send: hooks } : hooks
  const task = taskLabel(spec.stack, spec.task)
  refuseCallbackHandler(handler, task)
  const attempt = runAttempt({ handler, spec, send, task, keys: spec.idempotency ? (keys ?? tableStore()) : undefined })
  return async (event: unknown, context: LambdaContextLike): Promise<Result | BatchResponse | undefined> => {
    const batch = sqsRecords(event)
    if (batch) return runBatch(batch, { attempt, spec, send, context })
    // A topic delivery: the handler is called once per record with its message, whatever the trigger.
    const records = snsRecords(event)
    if (!records) {
      const opened = await withStoredPayload(unwrapEvent(spec, event))
      // A failure record keeps the event as it came, envelope and all (a stored payload's reference, not a copy): replay and decodeFailure read it.
      return attempt(opened.payload, context, {
        recorded: opened.kind === 'plain' ? opened.payload : event,
        ...(opened.unreadable ? { unreadable: opened.unreadable } : {}),
        ...keyOf(opened),
      })
    }
    for (const record of records) {
      const parsed = snsPayload(record)
      const opened = parsed.ok ? await withStoredPayload(unwrapEvent(spec, parsed.payload)) : { payload: undefined, unreadable: parsed.message }
      // A failure record keeps the delivery as SNS made it, one record: it decodes as the topic's (source 'topic').
      await attempt(opened.payload, context, {
        recorded: { Records: [record] },
        ...(opened.unreadable ? { unreadable: opened.unreadable } : {}),
        ...keyOf(opened, record.Sns.MessageId),
      })
    }
    return undefined
  }
}

/**
 * A queue batch: the handler once per message, in order. A message that fails is reported back
 * for SQS to deliver again, unless this was its last receive (`maxReceives`): then its failure
 * record goes to the failure queue, in Lambda's format with the delivery as SQS made it (it
 * decodes with source 'queue'), and the message is done. The queue's redrive stays as a safety
 * net for a run that never answers.
 */
async function runBatch<Result>(
  records: SqsRecord[],
  run: { attempt: Attempt<Result>; spec: TaskSpec; send: RecordSender; context: LambdaContextLike },
): Promise<BatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = []
  for (const record of records) {
    // A FIFO queue keeps a group in order: once a message is to be delivered again, the ones after it wait for it, unrun.
    if (batchItemFailures.length > 0 && record.eventSourceARN.endsWith('.fifo')) {
      batchItemFailures.push({ itemIdentifier: record.messageId })
      continue
    }
    const parsed = sqsPayload(record)
    // An offloaded payload is read back before validation, as for any other trigger.
    const opened = parsed.ok ? await withStoredPayload(unwrapEvent(run.spec, parsed.payload)) : { payload: undefined, unreadable: parsed.message }
    const attempt = receiveCount(record)
    const recorded = { Records: [record] }
    try {
      await run.attempt(opened.payload, run.context, {
        recorded,
        attempt,
        ...(opened.unreadable ? { unreadable: opened.unreadable } : {}),
        ...keyOf(opened, record.messageId),
      })
    } catch (error) {
      if (attempt < (run.spec.maxReceives ?? Number.POSITIVE_INFINITY)) {
        batchItemFailures.push({ itemIdentifier: record.messageId })
        continue
      }
      const requestId = `${run.context.awsRequestId}/${record.messageId}`
      await run.send(
        lambdaFailureRecord({
          condition: 'RetriesExhausted',
          requestId,
          functionArn: run.context.invokedFunctionArn,
          attempts: attempt,
          payload: recorded,
          error: { functionError: 'Unhandled', ...lambdaErrorPayload(error) },
        }),
      )
    }
  }
  return { batchItemFailures }
}

/** What every attempt of a wrapped handler shares: the handler, its task's spec, where records go, the task's label for the log, and where its keys are. */
interface AttemptScope<Result> {
  handler: UserHandler<Result>
  spec: TaskSpec
  send: RecordSender
  task: string
  /** A task with `idempotency` only. */
  keys?: IdempotencyStore
}

/** The deployed store: the table the stack made for the task, named in its environment. */
function tableStore(): IdempotencyStore {
  const table = process.env.TASK_GEN_IDEMPOTENCY_TABLE
  if (!table) throw new Error('task-gen: TASK_GEN_IDEMPOTENCY_TABLE is not set; the task has idempotency but no table to record its keys in')
  return new DynamoDbIdempotencyStore(table)
}

/** One call of the handler: validated, logged; a record sent for what retrying cannot fix, else errors rethrown. */
function runAttempt<Result>({ handler, spec, send, task, keys }: AttemptScope<Result>): Attempt<Result> {
  return async (payload, context, { recorded, unreadable, attempt = attemptOf(context.awsRequestId), key, owner = context.awsRequestId, traceparent }) => {
    const started = Date.now()
    const request = { requestId: context.awsRequestId, functionArn: context.invokedFunctionArn, attempt, payload: recorded }
    const finish = (outcome: Outcome, error?: unknown) =>
      log({
        task,
        requestId: context.awsRequestId,
        attempt,
        durationMs: Date.now() - started,
        outcome,
        ...(traceparent ? { traceparent } : {}),
        ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
      })

    const issues = unreadable ? [{ path: 'payload', message: unreadable }] : validate(spec.payload, spec.defs, payload)
    if (issues.length > 0) {
      const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ')
      await send(failureRecord('ValidationFailed', request, { errorType: 'ValidationFailed', errorMessage: message, trace: [] }))
      finish('invalid-payload', message)
      return undefined
    }
    // A key given to a task without idempotency was refused by the client; one that arrives anyway (another sender) is ignored, as the task keeps no keys.
    const claim = key !== undefined && keys && spec.idempotency ? newClaim({ key, owner }, spec.idempotency, Date.now()) : undefined
    if (claim) {
      const outcome = await keys!.claim(claim, Date.now())
      if (outcome === 'completed') {
        finish('duplicate', `idempotency key ${JSON.stringify(key)} already ran to completion`)
        return undefined
      }
      if (outcome === 'in-progress') {
        const error = new KeyInProgressError(`idempotency key ${JSON.stringify(key)} is being run by another delivery; retried later`)
        finish('error', error)
        throw error
      }
    }
    try {
      const result = await handler(payload, context)
      if (claim) await keys!.complete(claim.key, claim.owner)
      finish('success')
      return result
    } catch (error) {
      // A failed run frees its key: Lambda's retry, or a later call with the key, may run it again.
      if (claim) await keys!.release(claim.key, claim.owner)
      if (isNonRetryable(error)) {
        await send(failureRecord('NonRetryable', request, lambdaErrorPayload(error)))
        finish('non-retryable', error)
        return undefined
      }
      finish('error', error)
      throw error
    }
  }
}
