/**
 * SNS's Lambda event: a topic delivers each publish as `{ Records: [{ EventSource: 'aws:sns', Sns:
 * { Message, TopicArn, … } }] }` (one record per invoke, as SNS sends them), the published text in
 * `Message`. The task wrapper and `decodeFailure` both read it here, so a topic delivery and its
 * failure record unwrap alike.
 */

export interface SnsRecord {
  EventSource: 'aws:sns'
  Sns: { Message: string; TopicArn: string; MessageId?: string; Timestamp?: string }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isSnsRecord(value: unknown): value is SnsRecord {
  return (
    isObject(value) && value.EventSource === 'aws:sns' && isObject(value.Sns) && typeof value.Sns.Message === 'string' && typeof value.Sns.TopicArn === 'string'
  )
}

/** The records of an SNS event; undefined for any other event (a payload of that shape would need every record to be SNS's). */
export function snsRecords(event: unknown): SnsRecord[] | undefined {
  if (!isObject(event) || !Array.isArray(event.Records) || event.Records.length === 0) return undefined
  return event.Records.every(isSnsRecord) ? event.Records : undefined
}

/** The payload a record carries: the client publishes JSON text; an empty message is no payload. */
export function snsPayload(record: SnsRecord): { ok: true; payload: unknown } | { ok: false; message: string } {
  if (record.Sns.Message === '') return { ok: true, payload: undefined }
  try {
    return { ok: true, payload: JSON.parse(record.Sns.Message) }
  } catch {
    return { ok: false, message: `the message published to ${record.Sns.TopicArn} is not JSON` }
  }
}

/** `arn:aws:sns:<region>:<account>:<name>` → name. */
export function topicNameOfArn(arn: string): string {
  return arn.split(':').slice(5).join(':')
}
