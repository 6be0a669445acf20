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
  /** A queue task's queue with the derived name does not exist (wrong stage, region, or not deployed). */
  | 'QUEUE_NOT_FOUND'
  /** Lambda (or SQS, for a queue task's message of a batch) answered, but did not accept the event. */
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

export type TopicPublishErrorCode =
  /** The payload does not match the topic's type. Nothing was sent. */
  | 'INVALID_PAYLOAD'
  /** The message is over SNS's 256 KB limit. Nothing was sent. */
  | 'PAYLOAD_TOO_LARGE'
  /** No account id to build the topic's ARN from (see `configure({ accountId })`). Nothing was sent. */
  | 'ACCOUNT_UNKNOWN'
  /** No topic with the derived ARN exists (wrong stage, region or account, or not deployed). */
  | 'TOPIC_NOT_FOUND'
  /** The request failed: network, credentials, permissions, throttling after retries, or a service error. */
  | 'PUBLISH_FAILED'

export interface TopicPublishErrorDetails {
  code: TopicPublishErrorCode
  topic: string
  /** The ARN published to; '' when it could not be built. */
  topicArn: string
  attempts: number
  issues?: ValidationIssue[]
  cause?: unknown
}

/** Every failure of a publish rejects with this one class: SNS did not accept the message. */
export class TopicPublishError extends Error {
  override readonly name = 'TopicPublishError'
  readonly code: TopicPublishErrorCode
  readonly topicName: string
  readonly topicArn: string
  readonly attempts: number
  readonly issues: ValidationIssue[]

  constructor(message: string, details: TopicPublishErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = details.code
    this.topicName = details.topic
    this.topicArn = details.topicArn
    this.attempts = details.attempts
    this.issues = details.issues ?? []
  }
}
