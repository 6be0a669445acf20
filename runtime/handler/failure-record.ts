import { types } from 'node:util'

/** Why Lambda (or the task wrapper, for the last two) gave up on an event. */
export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'ValidationFailed' | 'NonRetryable'

/**
 * A function's error as Lambda's Node.js runtime writes it into a response and a failure record
 * (aws-lambda-nodejs-runtime-interface-client). Other runtimes and older records say `stackTrace`.
 */
export interface LambdaErrorPayload {
  errorType: string
  errorMessage: string
  /** The error's stack, line by line, the first `<errorType>: <message>`; [] for a thrown value that is not an Error; absent for errors of the platform (a timeout). */
  trace?: string[]
}

/** A failure record in Lambda's on-failure format (docs/lambda-facts.md), so that one decoder reads every writer's. */
export interface FailureRecord {
  version: '1.0'
  timestamp: string
  requestContext: { requestId: string; functionArn: string; condition: FailureCondition; approximateInvokeCount: number }
  requestPayload: unknown
  responseContext: { statusCode: 200; executedVersion: string; functionError?: 'Handled' | 'Unhandled' }
  /** The error of the last attempt; absent when no attempt ran to an error (EventAgeExceeded). */
  responsePayload?: LambdaErrorPayload
}

/** What the runtime reports when reading the thrown value itself throws. */
const UNREADABLE: LambdaErrorPayload = {
  errorType: 'handled',
  errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
}

interface ErrorLike {
  name: string
  message: string
  stack: string
}

/** The runtime's test: a native Error, or any object with non-empty name, message and stack strings. */
function isErrorLike(value: unknown): value is ErrorLike {
  if (types.isNativeError(value)) return true
  const v = value as Partial<Record<keyof ErrorLike, unknown>> | null
  return typeof v === 'object' && v !== null && [v.name, v.message, v.stack].every((field) => typeof field === 'string' && field !== '')
}

// The runtime escapes DEL in what it reports.
const escapeDel = (text: string): string => text.replaceAll('\x7F', '%7F')

/**
 * A thrown value as Lambda's Node.js runtime reports it: an Error by its name, message and stack
 * (split into lines), anything else by its typeof and its string with an empty trace. A rejection
 * without a reason is reported as the string "handled", as the runtime does.
 */
export function lambdaErrorPayload(thrown: unknown): LambdaErrorPayload {
  const error = thrown ?? 'handled'
  try {
    if (isErrorLike(error)) {
      return {
        errorType: escapeDel(String(error.name)),
        errorMessage: escapeDel(String(error.message)),
        trace: typeof error.stack === 'string' ? escapeDel(error.stack).split('\n') : [],
      }
    }
    return { errorType: typeof error, errorMessage: String((error as { toString(): unknown }).toString()), trace: [] }
  } catch {
    return { ...UNREADABLE }
  }
}

/** Builds a record in Lambda's format: the task wrapper's own, and those `task-gen dev` writes as Lambda would. */
export function lambdaFailureRecord(input: {
  condition: FailureCondition
  requestId: string
  functionArn: string
  attempts: number
  payload: unknown
  /** The error, and whether the handler returned it (`Handled`) or threw it (`Unhandled`). */
  error?: LambdaErrorPayload & { functionError: 'Handled' | 'Unhandled' }
}): FailureRecord {
  const record = {
    version: '1.0' as const,
    timestamp: new Date().toISOString(),
    requestContext: { requestId: input.requestId, functionArn: input.functionArn, condition: input.condition, approximateInvokeCount: input.attempts },
    requestPayload: input.payload,
  }
  if (!input.error) return { ...record, responseContext: { statusCode: 200, executedVersion: '$LATEST' } }
  const { functionError, ...responsePayload } = input.error
  return { ...record, responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError }, responsePayload }
}

/** The task wrapper's record of an event it ends itself: retrying it could not help. */
export function failureRecord(
  condition: 'ValidationFailed' | 'NonRetryable',
  request: { requestId: string; functionArn: string; attempt: number; payload: unknown },
  error: LambdaErrorPayload,
): FailureRecord {
  return lambdaFailureRecord({
    condition,
    requestId: request.requestId,
    functionArn: request.functionArn,
    attempts: request.attempt,
    payload: request.payload,
    error: { functionError: 'Handled', ...error },
  })
}
