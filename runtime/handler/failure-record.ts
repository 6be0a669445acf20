/** A failure record in Lambda's on-failure format (AWS-FACTS.md), so that one decoder reads both. */
export interface FailureRecord {
  version: '1.0'
  timestamp: string
  requestContext: { requestId: string; functionArn: string; condition: 'ValidationFailed' | 'NonRetryable'; approximateInvokeCount: number }
  requestPayload: unknown
  responseContext: { statusCode: 200; executedVersion: string; functionError: 'Handled' }
  responsePayload: { errorType: string; errorMessage: string; stackTrace: string[] }
}

export function failureRecord(condition: FailureRecord['requestContext']['condition'], request: { requestId: string; functionArn: string; attempt: number; payload: unknown }, error: { type: string; message: string; stack?: string }): FailureRecord {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId: request.requestId, functionArn: request.functionArn, condition, approximateInvokeCount: request.attempt },
    requestPayload: request.payload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Handled' },
    responsePayload: { errorType: error.type, errorMessage: error.message, stackTrace: error.stack ? error.stack.split('\n') : [] },
  }
}
