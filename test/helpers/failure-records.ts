const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:'

/** The stack Lambda's Node.js runtime reports for `new Error(message)` thrown by a task's handler. */
export function nodeTrace(message: string): string[] {
  return [
    `Error: ${message}`,
    '    at handler (file:///var/task/index.mjs:2:180)',
    '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)',
  ]
}

/** A failure record as Lambda's async invoke writes it to an SQS on-failure destination for a Node.js function (docs/lambda-facts.md). */
export function lambdaFailureRecord(functionName: string, payload: unknown, message: string, requestId = `req-${message.length}`): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-28T10:00:00.000Z',
    requestContext: { requestId, functionArn: `${ARN}${functionName}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: payload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: message, trace: nodeTrace(message) },
  })
}
