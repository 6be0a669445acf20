import type { AttemptError } from '../../runtime/dev/protocol.js'

/** A failure record as Lambda writes it to an on-failure destination (AWS-FACTS.md). */
export function lambdaFailureRecord(input: {
  condition: 'RetriesExhausted' | 'EventAgeExceeded'
  requestId: string
  functionArn: string
  attempts: number
  payload: unknown
  error: AttemptError | undefined
}): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId: input.requestId, functionArn: `${input.functionArn}:$LATEST`, condition: input.condition, approximateInvokeCount: input.attempts },
    requestPayload: input.payload,
    ...(input.error
      ? { responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }, responsePayload: input.error }
      : { responseContext: { statusCode: 200, executedVersion: '$LATEST' } }),
  }
}

// The account is not known offline; ARNs name a stand-in.
const LOCAL_ACCOUNT = '000000000000'

export function localFunctionArn(region: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName}`
}

export function localQueueArn(region: string, queueName: string): string {
  return `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${queueName}`
}
