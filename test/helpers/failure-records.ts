const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:'

/** A failure record as Lambda's async invoke writes it to an SQS on-failure destination (AWS-FACTS.md). */
export function lambdaFailureRecord(functionName: string, payload: unknown, message: string, requestId = `req-${message.length}`): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-28T10:00:00.000Z',
    requestContext: { requestId, functionArn: `${ARN}${functionName}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: payload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorMessage: message, errorType: 'Error', stackTrace: [] },
  })
}
