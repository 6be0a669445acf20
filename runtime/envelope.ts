/**
 * The task-gen event envelope: how a call's delivery options travel with its payload, in one
 * documented shape that the client writes and the task wrapper unwraps. The client sends an
 * envelope only when a call needs one (a delay, an idempotency key, a payload stored in S3, trace
 * context); any other event is the payload itself, so a plain event sent by another client or the
 * console keeps working unchanged.
 *
 * Versioning: `taskGenEnvelope` is the version number. A wrapper reads the versions it knows and
 * refuses a newer one with a clear message instead of guessing; fields may only be added within a
 * version when an older wrapper can ignore them safely.
 */

/** The envelope version this runtime writes, and the newest it reads. */
export const ENVELOPE_VERSION = 1

/** The top-level key that marks an event as an envelope: reserved, a payload cannot use it at its top level. */
export const ENVELOPE_KEY = 'taskGenEnvelope'

/** A payload too large to travel inline, stored as a JSON object in the app's payload bucket. */
export interface PayloadReference {
  bucket: string
  key: string
  /** Size of the stored JSON text in bytes. */
  bytes: number
  /** Hex SHA-256 of the stored JSON text, checked after reading it back. */
  sha256: string
}

export interface Envelope {
  taskGenEnvelope: typeof ENVELOPE_VERSION
  /** The payload, inline; absent when it is stored (`payloadRef`) or the task takes none. */
  payload?: unknown
  /** Where the payload is stored, when it did not travel inline. */
  payloadRef?: PayloadReference
  /** The caller's idempotency key. */
  idempotencyKey?: string
  /** When the caller sent the event (ISO 8601, UTC). */
  sentAt: string
  /** When a delayed call asked to run (ISO 8601, UTC). */
  deliverAt?: string
  /** The caller's W3C trace context (`traceparent` header value). */
  traceparent?: string
}

export type EnvelopeFields = Omit<Envelope, 'taskGenEnvelope' | 'sentAt'> & { sentAt?: Date }

export type OpenedEvent = { kind: 'plain'; payload: unknown } | { kind: 'envelope'; envelope: Envelope } | { kind: 'invalid'; message: string }

const FIELDS: Readonly<Record<string, (value: unknown) => boolean>> = {
  taskGenEnvelope: () => true,
  payload: () => true,
  payloadRef: isPayloadReference,
  idempotencyKey: (value) => typeof value === 'string' && value.length > 0,
  sentAt: isIsoDate,
  deliverAt: isIsoDate,
  traceparent: (value) => typeof value === 'string',
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isIsoDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value))
}

function isPayloadReference(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.bucket === 'string' &&
    typeof value.key === 'string' &&
    Number.isSafeInteger(value.bytes) &&
    typeof value.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(value.sha256)
  )
}

/** Writes an envelope around a call's payload and options. */
export function sealEnvelope(fields: EnvelopeFields): Envelope {
  const { sentAt, ...rest } = fields
  const envelope: Envelope = { taskGenEnvelope: ENVELOPE_VERSION, sentAt: (sentAt ?? new Date()).toISOString() }
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (envelope as unknown as Record<string, unknown>)[key] = value
  return envelope
}

/** True when the event carries the envelope key: it is then read as an envelope, never as a payload. */
export function isEnvelope(event: unknown): boolean {
  return isObject(event) && Object.hasOwn(event, ENVELOPE_KEY)
}

/** Tells a plain payload from an envelope, and refuses an envelope this runtime cannot read. */
export function openEvent(event: unknown): OpenedEvent {
  if (!isEnvelope(event)) return { kind: 'plain', payload: event }
  const record = event as Record<string, unknown>
  const version = record[ENVELOPE_KEY]
  if (version !== ENVELOPE_VERSION) {
    return {
      kind: 'invalid',
      message: `task-gen envelope version ${JSON.stringify(version)} is not one this task reads (it reads ${ENVELOPE_VERSION}); redeploy the task with the client's task-gen version`,
    }
  }
  for (const [key, value] of Object.entries(record)) {
    const check = Object.hasOwn(FIELDS, key) ? FIELDS[key] : undefined
    if (!check) return { kind: 'invalid', message: `task-gen envelope: unknown field ${JSON.stringify(key)}` }
    if (!check(value)) return { kind: 'invalid', message: `task-gen envelope: field ${JSON.stringify(key)} is malformed` }
  }
  if (!('sentAt' in record)) return { kind: 'invalid', message: 'task-gen envelope: field "sentAt" is missing' }
  if ('payload' in record && 'payloadRef' in record) return { kind: 'invalid', message: 'task-gen envelope: both "payload" and "payloadRef" are set' }
  return { kind: 'envelope', envelope: record as unknown as Envelope }
}
