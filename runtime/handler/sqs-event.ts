/**
 * SQS's Lambda event: an event source mapping delivers a batch as `{ Records: [{ eventSource:
 * 'aws:sqs', messageId, body, attributes: { ApproximateReceiveCount }, eventSourceARN }] }`, the
 * client's JSON payload in `body`. The task wrapper and `decodeFailure` both read it here, so a
 * queue delivery and its failure record unwrap alike.
 */

export interface SqsRecord {
  eventSource: 'aws:sqs'
  messageId: string
  body: string
  eventSourceARN: string
  attributes?: { ApproximateReceiveCount?: string }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isSqsRecord(value: unknown): value is SqsRecord {
  return (
    isObject(value) &&
    value.eventSource === 'aws:sqs' &&
    typeof value.messageId === 'string' &&
    typeof value.body === 'string' &&
    typeof value.eventSourceARN === 'string'
  )
}

/** The records of an SQS batch; undefined for any other event (a payload of that shape would need every record to be SQS's). */
export function sqsRecords(event: unknown): SqsRecord[] | undefined {
  if (!isObject(event) || !Array.isArray(event.Records) || event.Records.length === 0) return undefined
  return event.Records.every(isSqsRecord) ? event.Records : undefined
}

/** The payload a message carries: the client sends JSON text; an empty body is no payload. */
export function sqsPayload(record: SqsRecord): { ok: true; payload: unknown } | { ok: false; message: string } {
  if (record.body === '') return { ok: true, payload: undefined }
  try {
    return { ok: true, payload: JSON.parse(record.body) }
  } catch {
    return { ok: false, message: `the message ${record.messageId} on ${record.eventSourceARN} is not JSON` }
  }
}

/** How many times SQS has handed this message out, this time included. */
export function receiveCount(record: SqsRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount ?? 1)
  return Number.isSafeInteger(count) && count > 0 ? count : 1
}
