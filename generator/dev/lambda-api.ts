import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MAX_EVENT_PAYLOAD_BYTES } from '../../runtime/client/invoke.js'
import { logTail } from './attempt-log.js'
import { declaredLength, discardThenClose, readBody } from './read-body.js'
import { handleS3Request, isS3Request, type S3Target } from './s3-api.js'
import { handleSchedulerRequest, isSchedulerRequest, type SchedulerTarget } from './scheduler-api.js'
import { handleSnsRequest, isSnsRequest, type SnsTarget } from './sns-api.js'
import { handleSqsRequest, type SqsTarget } from './sqs-api.js'
import { THROTTLED, type AttemptResult, type Invocation } from './task-pool.js'

/** Lambda's limit for a synchronous invoke's payload, and for any Invoke request: 6 MB (docs/lambda-facts.md). */
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024

/** Connections the kernel completes before dev accepts them (capped by the system's somaxconn). */
const LISTEN_BACKLOG = 4096

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

/** What the endpoint needs from the dev runtime. */
export interface InvokeTarget {
  /** The function's ARN, without a qualifier: what Lambda's errors name. */
  functionArn: string
  /** `Event`: queue the event; it runs with Lambda's async semantics. */
  enqueue(payload: unknown, requestId: string, invocation: Invocation): void
  /** `RequestResponse`: one attempt, no retries, the result returned; 'throttled' at reserved concurrency 0. */
  invoke(payload: unknown, requestId: string, invocation: Invocation): Promise<AttemptResult | 'throttled'>
}

export interface LambdaApi {
  endpoint: string
  close(): Promise<void>
}

/**
 * Errors whose message Lambda's API model names `Message`; the others' is `message`. SDKs read
 * the field the model names, so each error uses its own.
 */
const CAPITALIZED_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException', 'UnknownOperationException'])

/** An error's body in Lambda's fields: whose fault (`Type`), the message, and a throttle's reason. */
function errorBody(status: number, type: string, message: string): string {
  const body: Record<string, string> = { Type: status >= 500 ? 'Service' : 'User', [CAPITALIZED_MESSAGE.has(type) ? 'Message' : 'message']: message }
  if (type === THROTTLED.errorType) body.Reason = 'ReservedFunctionConcurrentInvocationLimitExceeded'
  return JSON.stringify(body)
}

/** Lambda's error answer: its status, the error type in the header and body, and the message. */
function sendError(req: IncomingMessage, res: ServerResponse, { status, type, message }: { status: number; type: string; message: string }): void {
  const body = errorBody(status, type, message)
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
  }
  if (!req.complete) {
    discardThenClose(req)
    // Else Node closes at once after the answer when the client asked it to, and the reset can lose the answer.
    headers.connection = 'keep-alive'
  }
  res.writeHead(status, headers).end(body)
}

/** A function as a request names it: its name, and the version or alias asked for, if any. */
interface Address {
  name: string
  qualifier: string | undefined
}

/** `my-fn`, `my-fn:prod`, `123456789012:function:my-fn[:prod]` or `arn:aws:lambda:…:function:my-fn[:prod]` → name and qualifier. */
function addressOf(raw: string): Address | undefined {
  let name: string
  try {
    name = decodeURIComponent(raw)
  } catch {
    return undefined
  }
  const parts = name.split(':')
  const at = parts.indexOf('function')
  const [fn, qualifier] = at >= 0 ? parts.slice(at + 1) : parts
  return fn ? { name: fn, qualifier } : undefined
}

/** The qualifier of a request: from the name or the `Qualifier` parameter, which must agree; 'mismatch' when they do not. */
function qualifierOf(address: Address, query: URLSearchParams): string | undefined | 'mismatch' {
  const asked = query.get('Qualifier') ?? undefined
  if (asked !== undefined && address.qualifier !== undefined && asked !== address.qualifier) return 'mismatch'
  return asked ?? address.qualifier
}

/** Lambda's answer to a request over its limit, in Lambda's words: any request past 6 MB, or an Event payload past 1 MB. */
function tooLargeMessage(type: string, limit: number, declared: number | undefined): string {
  if (limit === MAX_SYNC_PAYLOAD_BYTES || (declared ?? 0) > MAX_SYNC_PAYLOAD_BYTES)
    return `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`
  // A chunked body is cut off at the limit, so its whole size is never known.
  return `${declared ?? `More than ${limit}`} byte payload is too large for the ${type} invocation type (limit ${limit} bytes)`
}

function parsePayload(body: Buffer): { ok: true; payload: unknown } | { ok: false } {
  if (body.byteLength === 0) return { ok: true, payload: {} }
  try {
    return { ok: true, payload: JSON.parse(body.toString('utf8')) }
  } catch {
    return { ok: false }
  }
}

/** The X-Amz-Client-Context header, base64 of a JSON object, as JSON text; 'invalid' when it is not one. */
function clientContextOf(req: IncomingMessage): string | undefined | 'invalid' {
  const header = req.headers['x-amz-client-context']
  if (typeof header !== 'string') return undefined
  const text = Buffer.from(header, 'base64').toString('utf8')
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? text : 'invalid'
  } catch {
    return 'invalid'
  }
}

/** What the endpoint serves: Lambda's Invoke for the app's functions, and SQS for its task queues. */
export interface DevServices {
  lambda: (functionName: string) => InvokeTarget | undefined
  /** The task queues; their URLs name this endpoint, which is known once it listens. @default none */
  sqs?: (endpoint: string) => SqsTarget
  /** The app's topics. @default none */
  sns?: SnsTarget
  /** The one-time schedules of delayed calls. @default none */
  scheduler?: SchedulerTarget
  /** The payload bucket of large-payload offload. @default none */
  s3?: S3Target
}

/** `SendMessage` of `X-Amz-Target: AmazonSQS.SendMessage`: SQS's JSON protocol, which the AWS SDKs speak to SQS. */
function sqsActionOf(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target']
  return typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined
}

const CONFIGURATION_PATH = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/

/** GetFunctionConfiguration, as much of it as a caller reads to learn the function's ARN (a delayed call does). */
function functionConfiguration(req: IncomingMessage, res: ServerResponse, lookup: DevServices['lambda']): void {
  const address = addressOf(CONFIGURATION_PATH.exec(new URL(req.url ?? '/', 'http://local').pathname)![1]!)
  const target = address && lookup(address.name)
  if (!address || !target)
    return sendError(req, res, { status: 404, type: 'ResourceNotFoundException', message: `Function not found: ${address?.name ?? req.url}` })
  const body = JSON.stringify({
    FunctionName: address.name,
    FunctionArn: target.functionArn,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    Version: '$LATEST',
  })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomUUID() }).end(body)
}

async function handle(req: IncomingMessage, res: ServerResponse, services: Omit<DevServices, 'sqs'> & { sqs: SqsTarget }): Promise<void> {
  const action = sqsActionOf(req)
  if (action !== undefined && req.method === 'POST') return handleSqsRequest(req, res, { action, target: services.sqs })
  if (services.sns && isSnsRequest(req)) return handleSnsRequest(req, res, services.sns)
  if (services.scheduler && isSchedulerRequest(req)) return handleSchedulerRequest(req, res, services.scheduler)
  if (services.s3 && isS3Request(req)) return handleS3Request(req, res, services.s3)
  if (req.method === 'GET' && CONFIGURATION_PATH.test(new URL(req.url ?? '/', 'http://local').pathname)) return functionConfiguration(req, res, services.lambda)
  const lookup = services.lambda
  const url = new URL(req.url ?? '/', 'http://local')
  const match = INVOKE_PATH.exec(url.pathname)
  if (req.method !== 'POST' || !match)
    return sendError(req, res, {
      status: 404,
      type: 'UnknownOperationException',
      message: `task-gen dev speaks Lambda's Invoke API, SQS's JSON protocol for task queues, SNS's Publish for topics and S3's object API for the payload bucket, not ${req.method} ${req.url}`,
    })
  const address = addressOf(match[1]!)
  if (!address) return sendError(req, res, { status: 400, type: 'InvalidParameterValueException', message: `Invalid function name in ${req.url}` })
  const target = lookup(address.name)
  if (!target)
    return sendError(req, res, {
      status: 404,
      type: 'ResourceNotFoundException',
      message: `Function not found: ${address.name} (task-gen dev runs only this app's tasks, for its stage)`,
    })
  const qualifier = qualifierOf(address, url.searchParams)
  if (qualifier === 'mismatch')
    return sendError(req, res, {
      status: 400,
      type: 'InvalidParameterValueException',
      message: 'The derived qualifier from the function name does not match the specified qualifier.',
    })
  // The stacks publish no versions and no aliases: $LATEST is all there is, as deployed.
  if (qualifier !== undefined && qualifier !== '$LATEST')
    return sendError(req, res, { status: 404, type: 'ResourceNotFoundException', message: `Function not found: ${target.functionArn}:${qualifier}` })
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse')
  const limit = type === 'Event' ? MAX_EVENT_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES
  // A client that asked before sending (Expect: 100-continue) sends nothing when the request is refused.
  if ((declaredLength(req) ?? 0) <= limit && /^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue()
  const body = await readBody(req, limit)
  if (body === 'too large')
    return sendError(req, res, { status: 413, type: 'RequestEntityTooLargeException', message: tooLargeMessage(type, limit, declaredLength(req)) })
  const parsed = parsePayload(body)
  if (!parsed.ok) return sendError(req, res, { status: 400, type: 'InvalidRequestContentException', message: 'Could not parse request body into json' })
  const requestId = randomUUID()
  if (type === 'DryRun') return void res.writeHead(204, { 'x-amzn-requestid': requestId }).end()
  const invokedFunctionArn = qualifier === undefined ? target.functionArn : `${target.functionArn}:${qualifier}`
  if (type === 'Event') {
    // Lambda hands the client context to synchronous invocations only.
    target.enqueue(parsed.payload, requestId, { invokedFunctionArn })
    return void res.writeHead(202, { 'x-amzn-requestid': requestId }).end()
  }
  if (type !== 'RequestResponse')
    return sendError(req, res, { status: 400, type: 'InvalidParameterValueException', message: `Unknown invocation type ${type}` })
  const clientContext = clientContextOf(req)
  if (clientContext === 'invalid')
    return sendError(req, res, { status: 400, type: 'InvalidRequestContentException', message: 'Client context must be a valid Base64-encoded JSON object.' })
  const result = await target.invoke(parsed.payload, requestId, { invokedFunctionArn, clientContext })
  if (result === 'throttled') return sendError(req, res, { status: 429, type: THROTTLED.errorType, message: THROTTLED.errorMessage })
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' }
  if (!result.ok) headers['x-amz-function-error'] = 'Unhandled'
  if (req.headers['x-amz-log-type'] === 'Tail' && result.log) headers['x-amz-log-result'] = logTail(result.log)
  res.writeHead(200, headers).end(result.ok ? (result.body ?? 'null') : JSON.stringify(result.error))
}

/** A loopback HTTP server speaking Lambda's Invoke API and SQS's for task queues. Signed requests are accepted without checking. */
export async function startLambdaApi(port: number, services: DevServices): Promise<LambdaApi> {
  let sqs: SqsTarget | undefined
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, { ...services, sqs: sqs! }).catch((error: unknown) => {
      // Every request ends: with Lambda's error, or, once an answer was begun, with the connection cut.
      if (!res.headersSent) sendError(req, res, { status: 500, type: 'ServiceException', message: `task-gen dev: ${(error as Error).message}` })
      else res.destroy()
    })
  }
  const server: Server = createServer(onRequest)
  // Lets `handle` refuse a too-large request before the client sends its body.
  server.on('checkContinue', onRequest)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // A deep backlog: a burst of clients connects while dev is busy starting workers, instead of timing out.
    server.listen({ port, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, resolve)
  })
  const address = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${address.port}`
  sqs = services.sqs?.(endpoint) ?? { urlPrefix: endpoint, queue: () => undefined }
  return {
    endpoint,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
