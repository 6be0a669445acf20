import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { discardThenClose } from './read-body.js'

/** The S3 errors dev answers, with the status S3 gives each. */
const STATUS_OF = {
  BadDigest: 400,
  EntityTooLarge: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidRequest: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NotImplemented: 501,
  XAmzContentSHA256Mismatch: 400,
} as const

export type S3ErrorCode = keyof typeof STATUS_OF

/** An S3 error: its code (what the SDK names the error after), its message, and the fields S3 adds for it. */
export class S3Error extends Error {
  readonly status: number

  constructor(
    readonly code: S3ErrorCode,
    message: string,
    readonly fields: Record<string, string | number> = {},
  ) {
    super(message)
    this.status = STATUS_OF[code]
  }
}

/** What S3 answers every request with: its request id and extended id, as support would ask for them. */
export function s3RequestIds(): { requestId: string; hostId: string } {
  return { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(24).toString('base64') }
}

export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** S3's error document: `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`. */
function errorXml(error: S3Error, ids: { requestId: string; hostId: string }): string {
  const fields = Object.entries(error.fields)
    .map(([name, value]) => `<${name}>${xmlText(String(value))}</${name}>`)
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${xmlText(error.message)}</Message>${fields}<RequestId>${ids.requestId}</RequestId><HostId>${ids.hostId}</HostId></Error>`
}

/** Answers with S3's error; a HEAD answer has no body, as S3's has none (the SDK names the error from the status). */
export function sendS3Error(
  { req, res, ids }: { req: IncomingMessage; res: ServerResponse; ids: { requestId: string; hostId: string } },
  error: S3Error,
): void {
  const body = req.method === 'HEAD' ? '' : errorXml(error, ids)
  const headers: Record<string, string | number> = {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': ids.requestId,
    'x-amz-id-2': ids.hostId,
  }
  if (!req.complete) {
    discardThenClose(req)
    // Else Node may close at once after the answer, and the reset can lose the answer.
    headers.connection = 'keep-alive'
  }
  res.writeHead(error.status, headers).end(body)
}
