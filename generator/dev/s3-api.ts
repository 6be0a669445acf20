import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { readObject, type ObjectMeta } from './payload-objects.js'
import { S3Error, s3RequestIds, sendS3Error } from './s3-errors.js'
import { ClientGoneError, putObject } from './s3-put-object.js'

/**
 * The part of S3's REST API that large-payload offload uses, path-style (`/<bucket>/<key>`, as the
 * SDK sends it with `forcePathStyle`): PutObject, GetObject and HeadObject of the app's payload
 * bucket, with S3's XML errors. So the unchanged client stores a payload in `task-gen dev`, and
 * the task wrapper in dev's workers reads it back.
 */

/** What a payload may exceed the app's `maxSize` by and still be stored: the client refuses larger ones first, so this is only a backstop. */
const SIZE_SLACK_BYTES = 1024 * 1024
/** S3's longest key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024

/** The bucket dev serves: the app's payload bucket, where its objects are kept, and the app's `maxSize`. */
export interface ServedBucket {
  name: string
  dir: string
  maxPayloadBytes: number
}

export interface S3Target {
  /** The bucket as the app is now; undefined when it stores no payloads (then no bucket exists). */
  bucket(): ServedBucket | undefined
}

/** First path segments that are other services' on this port: Lambda's API version, Scheduler's schedules. */
const OTHER_SERVICES = new Set(['2015-03-31', 'schedules'])
const OBJECT_PATH = /^\/([^/?]+)\/([^?]+)(?:\?(.*))?$/

/** True for an object request of S3's path-style REST API: PUT, GET or HEAD of `/<bucket>/<key>` that is no other service's path. */
export function isS3Request(req: IncomingMessage): boolean {
  if (req.method !== 'PUT' && req.method !== 'GET' && req.method !== 'HEAD') return false
  const match = OBJECT_PATH.exec(req.url ?? '')
  return match !== null && !OTHER_SERVICES.has(match[1]!)
}

/** The operation each method is, as the SDK names it in `x-id`. */
const OPERATIONS: Record<string, string> = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject' }

/** Bucket and key from the raw path: decoded, never normalized (`a/../b` is a key of its own, as in S3). */
function addressOf(req: IncomingMessage): { bucket: string; key: string; query: URLSearchParams } {
  const [, bucket, key, query] = OBJECT_PATH.exec(req.url ?? '')!
  try {
    return { bucket: decodeURIComponent(bucket!), key: decodeURIComponent(key!), query: new URLSearchParams(query ?? '') }
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", { URI: req.url ?? '' })
  }
}

function notServed(what: string): S3Error {
  return new S3Error('NotImplemented', `task-gen dev serves PutObject, GetObject and HeadObject of its payload bucket, not ${what}`)
}

/** Refuses what would make the request another operation, or a variant dev does not serve, rather than answer it wrongly. */
function checkOperation(req: IncomingMessage, query: URLSearchParams): void {
  const operation = OPERATIONS[req.method!]!
  for (const [name, value] of query) {
    if (name === 'x-id' && value === operation) continue
    throw notServed(name === 'x-id' ? value : `${operation} with ?${name}`)
  }
  if (req.method !== 'PUT' && req.headers.range !== undefined) throw notServed(`${operation} of a byte range`)
}

/** The headers S3 answers a GetObject or HeadObject with; the checksum only when asked for (`x-amz-checksum-mode: ENABLED`), as S3 does. */
function objectHeaders(req: IncomingMessage, meta: ObjectMeta): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'content-type': meta.contentType,
    'content-length': meta.bytes,
    etag: `"${meta.etag}"`,
    'last-modified': new Date(meta.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
  }
  if (/^enabled$/i.test(String(req.headers['x-amz-checksum-mode'] ?? ''))) {
    for (const [algorithm, value] of Object.entries(meta.checksums)) headers[`x-amz-checksum-${algorithm}`] = value
    if (Object.keys(meta.checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT'
  }
  return headers
}

async function getObject(req: IncomingMessage, res: ServerResponse, { dir, key, ids }: { dir: string; key: string; ids: ReturnType<typeof s3RequestIds> }) {
  const stored = await readObject(dir, key)
  if (!stored) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key })
  const headers = { ...objectHeaders(req, stored.meta), 'x-amz-request-id': ids.requestId, 'x-amz-id-2': ids.hostId }
  const body = req.method === 'GET' ? stored.body() : undefined
  if (!body) {
    await stored.close()
    return void res.writeHead(200, headers).end()
  }
  res.writeHead(200, headers)
  // A client that goes away mid-body ends the pipeline; the answer was begun, so the caller cuts the connection.
  await pipeline(body, res)
}

/** Answers one object request of S3's REST API; any bucket but the app's payload bucket does not exist. */
export async function handleS3Request(req: IncomingMessage, res: ServerResponse, target: S3Target): Promise<void> {
  const ids = s3RequestIds()
  try {
    const { bucket, key, query } = addressOf(req)
    const served = target.bucket()
    if (!served || bucket !== served.name)
      throw new S3Error(
        'NoSuchBucket',
        `The specified bucket does not exist (task-gen dev serves only the payload bucket${served ? ` ${served.name}` : 's of apps with "payloads", and this one has none'})`,
        { BucketName: bucket },
      )
    if (Buffer.byteLength(key) > MAX_KEY_BYTES)
      throw new S3Error('KeyTooLongError', 'Your key is too long', { Size: Buffer.byteLength(key), MaxSizeAllowed: MAX_KEY_BYTES })
    checkOperation(req, query)
    if (req.method !== 'PUT') return await getObject(req, res, { dir: served.dir, key, ids })
    const limit = served.maxPayloadBytes + SIZE_SLACK_BYTES
    // A client that asked before sending (Expect: 100-continue) sends its body only once dev accepts the request.
    const accepted = () => /^100-continue$/i.test(req.headers.expect ?? '') && res.writeContinue()
    const { etag, checksums } = await putObject({ req, dir: served.dir, key, limit, accepted })
    const headers: Record<string, string | number> = {
      etag: `"${etag}"`,
      'x-amz-server-side-encryption': 'AES256',
      'x-amz-request-id': ids.requestId,
      'x-amz-id-2': ids.hostId,
      'content-length': 0,
    }
    for (const [algorithm, value] of Object.entries(checksums)) headers[`x-amz-checksum-${algorithm}`] = value
    if (Object.keys(checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT'
    res.writeHead(200, headers).end()
  } catch (error) {
    if (error instanceof ClientGoneError) return void res.destroy()
    if (res.headersSent) throw error
    const s3Error = error instanceof S3Error ? error : new S3Error('InternalError', `task-gen dev: ${(error as Error).message}`)
    sendS3Error({ req, res, ids }, s3Error)
  }
}
