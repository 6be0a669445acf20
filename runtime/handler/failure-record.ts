/** Why Lambda (or the task wrapper, for the last two) gave up on an event. */
export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'ValidationFailed' | 'NonRetryable'

/** A failure record in Lambda's on-failure format (AWS-FACTS.md), so that one decoder reads every writer's. */
export interface FailureRecord {
  version: '1.0'
  timestamp: string
  requestContext: { requestId: string; functionArn: string; condition: FailureCondition; approximateInvokeCount: number }
  requestPayload: unknown
  responseContext: { statusCode: 200; executedVersion: string; functionError?: 'Handled' | 'Unhandled' }
  /** The error of the last attempt; absent when no attempt ran to an error (EventAgeExceeded). */
  responsePayload?: { errorType: string; errorMessage: string; stackTrace: string[] }
}

/** Builds a record in Lambda's format: the task wrapper's own, and those `task-gen dev` writes as Lambda would. */
export function lambdaFailureRecord(input: {
  condition: FailureCondition
  requestId: string
  functionArn: string
  attempts: number
  payload: unknown
  /** The error, and whether the handler returned it (`Handled`) or threw it (`Unhandled`). */
  error?: { functionError: 'Handled' | 'Unhandled'; errorType: string; errorMessage: string; stackTrace: string[] }
}): FailureRecord {
  const { error } = input
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId: input.requestId, functionArn: input.functionArn, condition: input.condition, approximateInvokeCount: input.attempts },
    requestPayload: input.payload,
    ...(error
      ? {
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: error.functionError },
          responsePayload: { errorType: error.errorType, errorMessage: error.errorMessage, stackTrace: error.stackTrace },
        }
      : { responseContext: { statusCode: 200, executedVersion: '$LATEST' } }),
  }
}

/** The task wrapper's record of an event it ends itself: retrying it could not help. */
export function failureRecord(condition: 'ValidationFailed' | 'NonRetryable', request: { requestId: string; functionArn: string; attempt: number; payload: unknown }, error: { type: string; message: string; stack?: string }): FailureRecord {
  return lambdaFailureRecord({
    condition,
    requestId: request.requestId,
    functionArn: request.functionArn,
    attempts: request.attempt,
    payload: request.payload,
    error: { functionError: 'Handled', errorType: error.type, errorMessage: error.message, stackTrace: error.stack ? error.stack.split('\n') : [] },
  })
}
