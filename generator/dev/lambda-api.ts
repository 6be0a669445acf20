import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MAX_EVENT_PAYLOAD_BYTES } from '../../runtime/client/invoke.js'
import { THROTTLED, type AttemptResult } from './task-pool.js'

/** Lambda's limit for a synchronous invoke's payload: 6 MB (AWS-FACTS.md). */
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

/** What the endpoint needs from the dev runtime. */
export interface InvokeTarget {
  /** `Event`: queue the event; it runs with Lambda's async semantics. */
  enqueue(payload: unknown, requestId: string): void
  /** `RequestResponse`: one attempt, no retries, the result returned; 'throttled' at reserved concurrency 0. */
  invoke(payload: unknown, requestId: string): Promise<AttemptResult | 'throttled'>
}

export interface LambdaApi {
  endpoint: string
  close(): Promise<void>
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() }).end(JSON.stringify({ Type: 'User', message }))
}

/** `my-fn`, `my-fn:$LATEST`, `123456789012:function:my-fn` or `arn:aws:lambda:…:function:my-fn[:qualifier]` → `my-fn`. */
function functionNameOf(raw: string): string | undefined {
  let name: string
  try {
    name = decodeURIComponent(raw)
  } catch {
    return undefined
  }
  const parts = name.split(':')
  const at = parts.indexOf('function')
  return at >= 0 ? parts[at + 1] : parts[0]
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function parsePayload(body: Buffer): { ok: true; payload: unknown } | { ok: false } {
  if (body.byteLength === 0) return { ok: true, payload: {} }
  try {
    return { ok: true, payload: JSON.parse(body.toString('utf8')) }
  } catch {
    return { ok: false }
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, lookup: (functionName: string) => InvokeTarget | undefined): Promise<void> {
  const match = INVOKE_PATH.exec(new URL(req.url ?? '/', 'http://local').pathname)
  if (req.method !== 'POST' || !match) return sendError(res, 404, 'UnknownOperationException', `task-gen dev speaks only Lambda's Invoke API, not ${req.method} ${req.url}`)
  const functionName = functionNameOf(match[1]!)
  if (!functionName) return sendError(res, 400, 'InvalidParameterValueException', `Invalid function name in ${req.url}`)
  const target = lookup(functionName)
  if (!target) return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${functionName} (task-gen dev runs only this app's tasks, for its stage)`)
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse')
  const body = await readBody(req)
  const limit = type === 'Event' ? MAX_EVENT_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES
  if (body.byteLength > limit) return sendError(res, 413, 'RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the ${type} invocation type`)
  const parsed = parsePayload(body)
  if (!parsed.ok) return sendError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json')
  const requestId = randomUUID()
  if (type === 'DryRun') return void res.writeHead(204, { 'x-amzn-requestid': requestId }).end()
  if (type === 'Event') {
    target.enqueue(parsed.payload, requestId)
    return void res.writeHead(202, { 'x-amzn-requestid': requestId }).end()
  }
  if (type !== 'RequestResponse') return sendError(res, 400, 'InvalidParameterValueException', `Unknown invocation type ${type}`)
  const result = await target.invoke(parsed.payload, requestId)
  if (result === 'throttled') return sendError(res, 429, THROTTLED.errorType, THROTTLED.errorMessage)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' }
  if (!result.ok) headers['x-amz-function-error'] = 'Unhandled'
  res.writeHead(200, headers).end(JSON.stringify(result.ok ? (result.result ?? null) : result.error))
}

/** A loopback HTTP server speaking Lambda's Invoke API. Signed requests are accepted without checking. */
export async function startLambdaApi(port: number, lookup: (functionName: string) => InvokeTarget | undefined): Promise<LambdaApi> {
  const server: Server = createServer((req, res) => {
    handle(req, res, lookup).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'ServiceException', `task-gen dev: ${(error as Error).message}`)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const address = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
