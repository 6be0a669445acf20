import type { ClaimOutcome, KeyRecord } from '../handler/idempotency.js'
import { lambdaErrorPayload, type FailureRecord, type LambdaErrorPayload } from '../handler/failure-record.js'

/** The error of a failed attempt, as Lambda's Node.js runtime reports it in a response and a failure record. */
export type AttemptError = LambdaErrorPayload

/** What `task-gen dev` tells a worker to run. */
export interface InvokeMessage {
  kind: 'invoke'
  id: number
  payload: unknown
  /** What Lambda hands the runtime with each invocation; the rest of the context comes from the environment, as in Lambda. */
  context: {
    awsRequestId: string
    /** The ARN the caller used, with its qualifier if it gave one. */
    invokedFunctionArn: string
    /** Epoch milliseconds. */
    deadline: number
    /** The caller's client context, JSON text (from X-Amz-Client-Context). */
    clientContext?: string
  }
}

/** Dev's answer to a worker's `key` request: the claim's outcome (for a claim). */
export interface KeyAnswerMessage {
  kind: 'key-answer'
  id: number
  outcome?: ClaimOutcome
}

/** An idempotency key operation of the task wrapper, which dev keeps the state of (the function's DynamoDB table, deployed). */
export type KeyRequest =
  | { op: 'claim'; record: KeyRecord; now: number }
  | { op: 'complete'; key: string; owner: string }
  | { op: 'release'; key: string; owner: string }

/** What a worker tells `task-gen dev`. */
export type WorkerMessage =
  /** `body`: the handler's result as the runtime sends it, JSON text. */
  | { kind: 'result'; id: number; ok: true; body: string }
  /** `fatal`: an uncaught exception or unhandled rejection ended it; the worker exits next, as the runtime does. */
  | { kind: 'result'; id: number; ok: false; error: AttemptError; fatal?: boolean }
  /** The worker loaded its bundle (or failed to): dev may start the next one. */
  | { kind: 'ready' }
  /** The runtime's process ends after an uncaught error between invocations: dev says so, and starts the next one cold. */
  | { kind: 'dying'; reason: string }
  /** What the handler wrote to stdout or stderr, in order with its result (a stream of its own could arrive after it). */
  | { kind: 'output'; text: string }
  /** The task wrapper ended an attempt early and sent this record (ValidationFailed, NonRetryable). */
  | { kind: 'record'; record: FailureRecord }
  /** The task wrapper's idempotency key operation: dev answers with a `key-answer` of the same id. */
  | { kind: 'key'; id: number; request: KeyRequest }

export function attemptError(error: unknown): AttemptError {
  return lambdaErrorPayload(error)
}
