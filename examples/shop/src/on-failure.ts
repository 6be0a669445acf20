/** The record Lambda sends to the failure destination after the last attempt (see AWS-FACTS.md). */
interface FailureRecord {
  timestamp: string
  requestContext: { requestId: string; functionArn: string; condition: string; approximateInvokeCount: number }
  requestPayload: unknown
  responsePayload?: { errorMessage?: string; errorType?: string }
}

interface SqsEvent {
  Records: { messageId: string; body: string }[]
}

/** Receives the failure record of every task whose attempts are used up, and reports it. */
export default async function onFailure(event: SqsEvent): Promise<void> {
  for (const message of event.Records) {
    const record = JSON.parse(message.body) as FailureRecord
    console.error(JSON.stringify({
      msg: 'task failed',
      function: record.requestContext.functionArn,
      condition: record.requestContext.condition,
      attempts: record.requestContext.approximateInvokeCount,
      error: record.responsePayload?.errorMessage,
    }))
  }
}
