import { taskLabel } from '../names.js'
import { refuseCallbackHandler } from './callback-handler.js'
import { resolveFailurePayload } from '../failures/resolve-payload.js'
import { decodeFailure, type FailureTaskIndex, type MessageAttributes, type TaskFailure } from '../failures/decode-failure.js'

interface SqsRecord {
  messageId: string
  body: string
  attributes?: { ApproximateReceiveCount?: string }
  messageAttributes?: Record<string, { stringValue?: string } | undefined>
}

/** The string message attributes of an SQS event record (a schedule's dead-letter event carries its details there). */
function stringAttributes(record: SqsRecord): MessageAttributes {
  return Object.fromEntries(Object.entries(record.messageAttributes ?? {}).map(([name, value]) => [name, value?.stringValue]))
}

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[]
}

function log(line: Record<string, unknown>): void {
  console.log(JSON.stringify({ taskGen: 1, onFailure: true, ...line }))
}

/**
 * Wraps the global on-failure handler: each message of the batch is decoded into a typed
 * TaskFailure and handled on its own. A message whose handling throws, or that cannot be
 * decoded, is reported back as failed: SQS delivers it again, and after the configured receives
 * moves it to the dead-letter queue. No record is dropped.
 */
export function wrapOnFailure(handler: (failure: TaskFailure, context: unknown) => unknown, index: FailureTaskIndex) {
  refuseCallbackHandler(handler, 'onFailure')
  return async (event: { Records?: SqsRecord[] }, context: unknown): Promise<SqsBatchResponse> => {
    const batchItemFailures: { itemIdentifier: string }[] = []
    for (const record of event.Records ?? []) {
      const receives = Number(record.attributes?.ApproximateReceiveCount ?? 1)
      const decoded = decodeFailure(record.body, index, stringAttributes(record))
      if (!decoded.ok) {
        log({ messageId: record.messageId, receives, outcome: 'undecodable', reason: decoded.reason })
        batchItemFailures.push({ itemIdentifier: record.messageId })
        continue
      }
      try {
        // The handler gets the payload whole, also when it was stored in S3; an unreadable one is retried, then dead-lettered.
        const resolved = await resolveFailurePayload(decoded.failure)
        if (!resolved.ok) throw new Error(resolved.reason)
        await handler(resolved.failure, context)
        log({ messageId: record.messageId, task: taskLabel(decoded.failure.stack, decoded.failure.task), receives, outcome: 'handled' })
      } catch (error) {
        log({
          messageId: record.messageId,
          task: taskLabel(decoded.failure.stack, decoded.failure.task),
          receives,
          outcome: 'error',
          error: error instanceof Error ? error.message : String(error),
        })
        batchItemFailures.push({ itemIdentifier: record.messageId })
      }
    }
    return { batchItemFailures }
  }
}
