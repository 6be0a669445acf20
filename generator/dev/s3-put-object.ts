import type { IncomingMessage } from 'node:http'
import { PassThrough, Transform, type Readable } from 'node:stream'
import { AwsChunkedDecoder, MalformedChunksError } from './aws-chunked.js'
import { checksumDigest, md5Digest, sha256Digest, UNSUPPORTED_ALGORITHMS, type RunningDigest } from './body-checksums.js'
import { pendingObject, type ObjectMeta } from './payload-objects.js'
import { declaredLength } from './read-body.js'
import { S3Error } from './s3-errors.js'

/**
 * PutObject into dev's payload bucket: the body streamed to disk (decoded from `aws-chunked` when
 * the SDK streams it), never held in memory, refused past the size limit, and checked against the
 * checksum, Content-MD5 and payload hash the client sent, as S3 checks them.
 */

/** Headers named `x-amz-checksum-*` that carry no checksum. */
const NOT_CHECKSUMS = new Set(['type', 'mode', 'algorithm'])
const KNOWN_ALGORITHMS = new Set(['crc32', 'crc32c', 'sha1', 'sha256', ...UNSUPPORTED_ALGORITHMS])

/** The client's checksum: its algorithm, and its value from a header, or from the trailer the body ends with. */
interface ExpectedChecksum {
  algorithm: string
  header?: string
}

function oneHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function expectedChecksum(req: IncomingMessage): ExpectedChecksum | undefined {
  const found: ExpectedChecksum[] = []
  for (const name of Object.keys(req.headers)) {
    const algorithm = /^x-amz-checksum-([a-z0-9]+)$/.exec(name)?.[1]
    if (algorithm && !NOT_CHECKSUMS.has(algorithm)) found.push({ algorithm, header: oneHeader(req, name) })
  }
  const trailer = /^x-amz-checksum-([a-z0-9]+)$/.exec(oneHeader(req, 'x-amz-trailer')?.trim().toLowerCase() ?? '')?.[1]
  if (trailer) found.push({ algorithm: trailer })
  if (found.length > 1) throw new S3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.')
  const [expected] = found
  if (!expected) return undefined
  if (!KNOWN_ALGORITHMS.has(expected.algorithm))
    throw new S3Error('InvalidRequest', `Value for x-amz-checksum-${expected.algorithm} header is invalid: no such checksum algorithm`)
  if (UNSUPPORTED_ALGORITHMS.has(expected.algorithm))
    throw new S3Error(
      'NotImplemented',
      `task-gen dev verifies CRC32, CRC32C, SHA1 and SHA256 upload checksums, not ${expected.algorithm.toUpperCase()}; choose another ChecksumAlgorithm`,
    )
  return expected
}

/** The body's decoded size as the client declared it: `x-amz-decoded-content-length` for aws-chunked, else Content-Length. */
function declaredSize(req: IncomingMessage, chunked: boolean): number | undefined {
  const header = chunked ? oneHeader(req, 'x-amz-decoded-content-length') : undefined
  return chunked ? (header === undefined ? undefined : Number(header)) : declaredLength(req)
}

function entityTooLarge(size: number | string, limit: number): S3Error {
  return new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: limit })
}

class TooLargeError extends Error {}
/** The client went away mid-body: there is no one to answer. */
export class ClientGoneError extends Error {}

/** The request's body as a stream of its own: a failed write destroys it, not the request, which still gets its answer. */
function detachedBody(req: IncomingMessage): Readable {
  const body = new PassThrough()
  req.pipe(body)
  req.once('close', () => {
    if (!req.complete) body.destroy(new ClientGoneError('the client closed the connection before the body ended'))
  })
  return body
}

/** Counts the decoded bytes (failing past `limit`) and feeds the digests. */
function meter(limit: number, digests: RunningDigest[], counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counted.bytes += chunk.byteLength
      if (counted.bytes > limit) return done(new TooLargeError())
      for (const digest of digests) digest.update(chunk)
      done(null, chunk)
    },
  })
}

/** What a stored upload answers with: its ETag, and the checksum echoed as S3 echoes it. */
export interface PutResult {
  etag: string
  checksums: Record<string, string>
}

export interface PutRequest {
  req: IncomingMessage
  dir: string
  key: string
  /** The most bytes the body may have. */
  limit: number
  /** Called once the request is accepted, before its body is read (`Expect: 100-continue` then gets its 100). */
  accepted: () => void
}

/** Checks what the client sent against what arrived; throws the S3 error of the first mismatch. */
function verify(
  req: IncomingMessage,
  got: { md5: Buffer; checksum?: Buffer; sha256?: Buffer; bytes: number },
  sent: { algorithm?: string; checksum?: string; declared?: number },
): void {
  if (sent.declared !== undefined && sent.declared !== got.bytes)
    throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.')
  const md5 = oneHeader(req, 'content-md5')
  if (md5 !== undefined && md5 !== got.md5.toString('base64'))
    throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: md5 })
  const { algorithm } = sent
  if (algorithm && sent.checksum === undefined)
    throw new S3Error('InvalidRequest', `The body declared the trailer x-amz-checksum-${algorithm} and did not end with it.`)
  if (algorithm && sent.checksum !== got.checksum!.toString('base64'))
    throw new S3Error('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`)
  const sha = oneHeader(req, 'x-amz-content-sha256')
  if (got.sha256 && sha !== got.sha256.toString('hex'))
    throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
      ClientComputedContentSHA256: sha ?? '',
      S3ComputedContentSHA256: got.sha256.toString('hex'),
    })
}

/** Why a body could not be written, as S3 answers it; undefined for an error that is dev's own. */
function writeFailure(error: unknown, limit: number): S3Error | undefined {
  if (error instanceof TooLargeError) return entityTooLarge(`more than ${limit}`, limit)
  if (error instanceof MalformedChunksError) return new S3Error('IncompleteBody', `The aws-chunked body could not be read: ${error.message}.`)
  return undefined
}

/** Stores the body as the key's object, atomically; an S3Error says why it was refused. */
export async function putObject({ req, dir, key, limit, accepted }: PutRequest): Promise<PutResult> {
  if (oneHeader(req, 'x-amz-copy-source') !== undefined)
    throw new S3Error('NotImplemented', 'task-gen dev serves PutObject, GetObject and HeadObject of its payload bucket, not CopyObject')
  const sha = oneHeader(req, 'x-amz-content-sha256')
  const chunked = /aws-chunked/i.test(oneHeader(req, 'content-encoding') ?? '') || (sha?.startsWith('STREAMING-') ?? false)
  const expected = expectedChecksum(req)
  const declared = declaredSize(req, chunked)
  if (declared !== undefined && declared > limit) throw entityTooLarge(declared, limit)
  const digests = {
    md5: md5Digest(),
    checksum: expected && checksumDigest(expected.algorithm),
    sha256: /^[0-9a-f]{64}$/.test(sha ?? '') ? sha256Digest() : undefined,
  }
  const counted = { bytes: 0 }
  const decoder = chunked ? new AwsChunkedDecoder() : undefined
  const pending = await pendingObject(dir, key)
  try {
    accepted()
    const metered = meter(
      limit,
      Object.values(digests).filter((d) => d !== undefined),
      counted,
    )
    await pending.write(detachedBody(req), decoder ? [decoder, metered] : [metered]).catch((error: unknown) => {
      throw writeFailure(error, limit) ?? error
    })
    const got = { md5: digests.md5.digest(), checksum: digests.checksum?.digest(), sha256: digests.sha256?.digest(), bytes: counted.bytes }
    const checksum = expected?.header ?? (expected && decoder?.trailers.get(`x-amz-checksum-${expected.algorithm}`))
    verify(req, got, { algorithm: expected?.algorithm, checksum, declared })
    const checksums: Record<string, string> = expected && got.checksum ? { [expected.algorithm]: got.checksum.toString('base64') } : {}
    const meta: ObjectMeta = {
      key,
      bytes: got.bytes,
      etag: got.md5.toString('hex'),
      contentType: oneHeader(req, 'content-type') ?? 'application/octet-stream',
      checksums,
      lastModified: new Date().toISOString(),
    }
    await pending.commit(meta)
    return { etag: meta.etag, checksums }
  } catch (error) {
    await pending.discard()
    throw error
  }
}
