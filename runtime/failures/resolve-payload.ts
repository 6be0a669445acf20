import { fetchPayload, sharedS3Client, type S3ClientLike } from '../payloads.js'
import type { TaskFailure } from './decode-failure.js'

export type ResolvedFailure = { ok: true; failure: TaskFailure } | { ok: false; reason: string }

/**
 * A failure whose payload was stored in S3, with the payload read back (and checked against its
 * SHA-256): what the task was invoked with, whole. A failure with its payload inline is itself.
 * A transient S3 error is thrown; a missing or altered object is a reason.
 */
export async function resolveFailurePayload(failure: TaskFailure, client?: S3ClientLike): Promise<ResolvedFailure> {
  if (!failure.payloadRef) return { ok: true, failure }
  const fetched = await fetchPayload(client ?? (await sharedS3Client(undefined)), failure.payloadRef)
  return fetched.ok ? { ok: true, failure: { ...failure, payload: fetched.payload } } : { ok: false, reason: fetched.message }
}
