import { createHash, randomUUID } from 'node:crypto'
import type { PayloadReference } from './envelope.js'

/**
 * Payloads too large to travel inline: the client stores them as JSON objects in the app's
 * payload bucket and sends a reference (runtime/envelope.ts); the task wrapper reads them back.
 * The client, the wrapper, `failures replay` and `task-gen dev` share this module, so that the
 * bucket, the keys and the checks are the same everywhere.
 */

/** Defaults of the config's `payloads`, in bytes. */
export const PAYLOAD_DEFAULTS = {
  /**
   * 1 MB (Lambda's asynchronous invoke limit) less 64 KB: a failure record embeds the event plus
   * the error and its stack, and an SQS message holds at most 1 MB; a payload stored by
   * reference leaves the record small whatever its size.
   */
  offloadAboveBytes: 983_040,
  maxBytes: 104_857_600,
} as const

/** The client's view of the config's `payloads`, in bytes: present only when the app offloads. */
export interface PayloadSettings {
  offloadAbove: number
  maxSize: number
}

/** The app's payload bucket for a stage: its name derives like every other resource's, so the client needs no lookup. */
export function payloadBucketName(app: string, stage: string): string {
  return `${app}-${stage}-payloads`
}

/** Where a task's payloads are stored: its role may read exactly this prefix. */
export function payloadKeyPrefix(parts: { app: string; stage: string; stack: string; task: string }): string {
  return `${parts.app}/${parts.stage}/${parts.stack}/${parts.task}/`
}

/**
 * Where a topic's payloads are stored: every subscriber's role may read this prefix. `-topics`
 * cannot be a stack's name (stack names are identifiers), so it never overlaps a task's prefix.
 */
export function topicPayloadKeyPrefix(parts: { app: string; stage: string; topic: string }): string {
  return `${parts.app}/${parts.stage}/-topics/${parts.topic}/`
}

export function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex')
}

/** A new object's reference: a random key under the task's (or the topic's) prefix, with the body's size and digest. */
export function newPayloadReference(
  parts: { app: string; stage: string } & ({ stack: string; task: string } | { topic: string }),
  body: Uint8Array,
): PayloadReference {
  const prefix = 'topic' in parts ? topicPayloadKeyPrefix(parts) : payloadKeyPrefix(parts)
  return {
    bucket: payloadBucketName(parts.app, parts.stage),
    key: `${prefix}${randomUUID()}.json`,
    bytes: body.byteLength,
    sha256: sha256Hex(body),
  }
}

/** An `S3Client` of `@aws-sdk/client-s3`, typed structurally (the generated package's types need no SDK types). */
export interface S3ClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: an SDK client typed structurally takes any of its commands
  send(command: any, options?: any): Promise<any>
}

export type S3Sdk = typeof import('@aws-sdk/client-s3')

let sdk: Promise<S3Sdk> | undefined

/** The S3 SDK, loaded when the first payload is stored or read, never on import. */
export function loadS3Sdk(): Promise<S3Sdk> {
  sdk ??= import('@aws-sdk/client-s3')
  return sdk
}

/**
 * Where task-gen's own payload reads and writes go, before `AWS_ENDPOINT_URL_S3`: `task-gen dev`
 * sets it in its workers, so that the wrapper reads payloads from dev while the handler's own S3
 * calls go where the shell's endpoints send them.
 */
export const PAYLOAD_ENDPOINT_VARIABLE = 'TASK_GEN_PAYLOAD_ENDPOINT'

/** Dev checks no signature: fixed credentials spare the SDK's credential chain, which finds none in a worker and would wait on the instance metadata service. */
const PAYLOAD_ENDPOINT_CREDENTIALS = { accessKeyId: 'task-gen-dev', secretAccessKey: 'task-gen-dev' }

let shared: Promise<S3ClientLike> | undefined

/**
 * One S3 client per process. A local endpoint (`TASK_GEN_PAYLOAD_ENDPOINT`, or
 * `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` as moto and `task-gen dev` are reached) takes
 * path-style addresses: `<bucket>.localhost` does not resolve.
 */
export function sharedS3Client(region: string | undefined): Promise<S3ClientLike> {
  shared ??= loadS3Sdk().then(({ S3Client }) => {
    const ownEndpoint = process.env[PAYLOAD_ENDPOINT_VARIABLE] || undefined
    const local = ownEndpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL
    // Dev's bucket is in no region: any will do when none is set (a replay from the shell).
    const where = ownEndpoint
      ? { endpoint: ownEndpoint, credentials: PAYLOAD_ENDPOINT_CREDENTIALS, region: process.env.AWS_REGION ?? region ?? 'us-east-1' }
      : {}
    return new S3Client({ region: process.env.AWS_REGION ?? region, ...where, forcePathStyle: local !== undefined, retryMode: 'standard', maxAttempts: 3 })
  })
  return shared
}

/** Stores a payload's JSON text; resolves once S3 has it. */
export async function putPayload(client: S3ClientLike, reference: PayloadReference, body: Uint8Array): Promise<void> {
  const { PutObjectCommand } = await loadS3Sdk()
  await client.send(
    new PutObjectCommand({ Bucket: reference.bucket, Key: reference.key, Body: body, ContentType: 'application/json', ContentLength: body.byteLength }),
  )
}

export type FetchedPayload = { ok: true; payload: unknown } | { ok: false; message: string }

/** Why a stored payload cannot be used: retrying cannot change it (missing, or not what was stored). */
function unusable(reference: PayloadReference, why: string): FetchedPayload {
  return { ok: false, message: `the payload stored at s3://${reference.bucket}/${reference.key} ${why}` }
}

/** Reads a stored payload back and checks it is what the reference says; a transient S3 error is thrown (a retry may succeed). */
export async function fetchPayload(client: S3ClientLike, reference: PayloadReference): Promise<FetchedPayload> {
  const { GetObjectCommand } = await loadS3Sdk()
  let body: Uint8Array
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: reference.bucket, Key: reference.key }))
    body = await response.Body.transformToByteArray()
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return unusable(reference, 'does not exist (expired, or deleted)')
    throw error
  }
  if (body.byteLength !== reference.bytes) return unusable(reference, `is ${body.byteLength} bytes; the event says ${reference.bytes}`)
  const digest = sha256Hex(body)
  if (digest !== reference.sha256) return unusable(reference, `has SHA-256 ${digest}; the event says ${reference.sha256}`)
  try {
    return { ok: true, payload: JSON.parse(new TextDecoder().decode(body)) }
  } catch {
    return unusable(reference, 'is not JSON')
  }
}
