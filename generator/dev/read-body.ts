import type { IncomingMessage } from 'node:http'

/** The body's size as the client declared it; undefined for a chunked body. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length']
  return header === undefined ? undefined : Number(header)
}

/** The body, or 'too large' as soon as it is known to pass `limit`: from its declared length, before reading, or once the bytes read pass it. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  if ((declaredLength(req) ?? 0) > limit) return Promise.resolve('too large')
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = () => void req.off('data', onData).off('end', onEnd).off('close', onClose)
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength
      if (size <= limit) return void chunks.push(chunk)
      // Nothing more is kept; the answer reads what is left only up to the discard bounds.
      stop()
      req.pause()
      chunks.length = 0
      resolve('too large')
    }
    const onEnd = () => {
      stop()
      resolve(Buffer.concat(chunks))
    }
    const onClose = () => {
      stop()
      reject(new Error('the client closed the connection before the request ended'))
    }
    req.on('data', onData).once('end', onEnd).once('close', onClose)
  })
}

/** A JSON request's body as an object; 'too large' past `limit`, 'not an object' for anything else (an empty body is `{}`). */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown> | 'too large' | 'not an object'> {
  const body = await readBody(req, limit)
  if (body === 'too large') return body
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}')
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // not JSON: answered below
  }
  return 'not an object'
}

/**
 * What dev still reads, and throws away, of a request it answered before reading all of it: enough
 * that a client that writes its whole body before it reads the answer (boto3) sees the answer, not
 * a reset, when it sent somewhat too much; past either bound the connection is cut.
 */
const DISCARD_BYTES = 16 * 1024 * 1024
const DISCARD_MS = 2000

/** Reads what is left of a request answered early, up to the discard bounds; then cuts the connection. */
export function discardThenClose(req: IncomingMessage): void {
  let discarded = 0
  const cut = () => {
    clearTimeout(timer)
    req.socket.destroy()
  }
  const timer = setTimeout(cut, DISCARD_MS)
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength
    if (discarded > DISCARD_BYTES) cut()
  })
  req.once('end', () => clearTimeout(timer))
  req.resume()
}
