import type { ValidationIssue } from '../validate.js'

export type TaskInvokeErrorCode =
  /** The payload does not match the task's payload type. Nothing was sent. */
  | 'INVALID_PAYLOAD'
  /** A call option is not one this call can take (a delay in the past or over a year, a delay for a task without `delay`). Nothing was sent. */
  | 'INVALID_OPTIONS'
  /** The serialized payload is over Lambda's 1 MB limit for asynchronous invokes. Nothing was sent. */
  | 'PAYLOAD_TOO_LARGE'
  /** No function with the derived name exists (wrong stage, region, or not deployed). */
  | 'FUNCTION_NOT_FOUND'
  /** Lambda answered, but did not accept the event. */
  | 'NOT_ACCEPTED'
  /** The request failed: network, credentials, throttling after retries, or a service error. */
  | 'INVOKE_FAILED'

export interface TaskInvokeErrorDetails {
  code: TaskInvokeErrorCode
  stack: string
  task: string
  functionName: string
  /** Requests sent, counting retries; 0 when a guard refused the payload before sending. */
  attempts: number
  issues?: ValidationIssue[]
  cause?: unknown
}

/** Every failure of a task call rejects with this one class: the event was not accepted. */
export class TaskInvokeError extends Error {
  override readonly name = 'TaskInvokeError'
  readonly code: TaskInvokeErrorCode
  /** The config stack of the task (not to be confused with Error.stack, the call stack). */
  readonly stackName: string
  readonly taskName: string
  readonly functionName: string
  readonly attempts: number
  readonly issues: ValidationIssue[]

  constructor(message: string, details: TaskInvokeErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = details.code
    this.stackName = details.stack
    this.taskName = details.task
    this.functionName = details.functionName
    this.attempts = details.attempts
    this.issues = details.issues ?? []
  }
}
