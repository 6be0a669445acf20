import { isEnvelope, sealEnvelope, type EnvelopeFields } from '../envelope.js'

/** What a call's options put in its envelope: everything but the payload and the send time. */
export type DeliveryFields = Omit<EnvelopeFields, 'payload' | 'sentAt'>

function hasAny(fields: DeliveryFields): boolean {
  return Object.values(fields).some((value) => value !== undefined)
}

/**
 * The event a call sends: the payload itself, unless the call needs an envelope (a delivery
 * option is set) or the payload would read as one (an object with the envelope key at its top
 * level, which then travels inside an envelope and arrives unchanged). Plain calls stay plain:
 * no bytes and no work added to the common path.
 */
export function eventOf(payload: unknown, fields: DeliveryFields = {}): unknown {
  if (!hasAny(fields) && !isEnvelope(payload)) return payload
  return sealEnvelope({ ...fields, payload })
}
