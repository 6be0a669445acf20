/**
 * One `task-gen dev` worker: a process running a warm instance of one task's bundle, as a Lambda
 * sandbox does (a process of its own, so that its memory is its own to measure). It runs one
 * invocation at a time; the dev server stops it when an attempt runs past the timeout or the
 * memory size.
 */
import { pathToFileURL } from 'node:url'
import { attemptError, type AttemptError, type InvokeMessage, type WorkerMessage } from './protocol.js'

type Handler = (payload: unknown, context: unknown) => unknown

// Stack traces point at the handler's source, through the build's inline source map.
process.setSourceMapsEnabled(true)

const bundle = process.argv[2]!

function send(message: WorkerMessage, then?: () => void): void {
  process.send!(message, undefined, {}, () => then?.())
}

/**
 * Sends what the handler writes through the channel its result takes: dev sees each line before
 * the attempt's end, so an attempt's log (LogType Tail) holds all it printed.
 */
function sendOutput(stream: NodeJS.WriteStream): void {
  stream.write = ((
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((error?: Error | null) => void),
    callback?: (error?: Error | null) => void,
  ): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    send({ kind: 'output', text })
    const done = typeof encoding === 'function' ? encoding : callback
    if (done) queueMicrotask(() => done(null))
    return true
  }) as typeof stream.write
}
sendOutput(process.stdout)
sendOutput(process.stderr)

/** The invocation running now, if any: an uncaught error fails it, as the runtime's error callbacks do. */
let current: { id: number; requestId: string } | undefined

/** The runtime's error for a rejection nobody handled: named after it, its message the reason as text. */
class UnhandledPromiseRejection extends Error {}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection'

/** The runtime's log line for an error: the error with its stack, one entry per line. */
function errorLine(what: string, error: AttemptError): string {
  const { trace, ...rest } = error
  return `${new Date().toISOString()}\t${current?.requestId ?? 'undefined'}\tERROR\t${what} \t${JSON.stringify({ ...rest, stack: trace ?? [] })}`
}

/**
 * What the runtime does with an error nothing caught: logs it with its stack, fails the running
 * invocation with it (if there is one), and exits; the next invocation starts a new worker.
 */
function uncaught(what: string, error: unknown, exitCode: number): void {
  const payload = attemptError(error)
  console.error(errorLine(what, payload))
  const exit = () => process.exit(exitCode)
  if (current) send({ kind: 'result', id: current.id, ok: false, error: payload, fatal: true }, exit)
  else send({ kind: 'dying', reason: `Runtime exited with error: exit status ${exitCode} (${what.toLowerCase()}: ${payload.errorType})` }, exit)
  current = undefined
}
process.on('uncaughtException', (error) => uncaught('Uncaught Exception', error, 129))
process.on('unhandledRejection', (reason) => uncaught('Unhandled Promise Rejection', new UnhandledPromiseRejection(String(reason)), 128))

// A module that throws while loading fails every invocation with that error, as in Lambda.
const loaded: Promise<Handler> = import(pathToFileURL(bundle).href).then((mod: { handler?: Handler }) => {
  if (typeof mod.handler !== 'function') throw Object.assign(new Error(`the bundle ${bundle} exports no handler`), { name: 'Runtime.HandlerNotFound' })
  return mod.handler
})
// Reported to each invocation, not as an unhandled rejection that would end the worker first.
loaded.then(
  () => send({ kind: 'ready' }),
  () => send({ kind: 'ready' }),
)

/** The context object of the Node.js runtime: the function's part from the environment, the invocation's from dev. */
function lambdaContext(message: InvokeMessage) {
  const { awsRequestId, invokedFunctionArn, deadline, clientContext } = message.context
  const env = process.env
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: clientContext === undefined ? undefined : (JSON.parse(clientContext) as unknown),
    // Cognito identities reach only functions invoked through the mobile SDKs.
    identity: undefined,
    invokedFunctionArn,
    awsRequestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  }
}

/**
 * The response as the Node.js runtime sends it: `JSON.stringify` of the result, `null` for none
 * (so `toJSON` applies and functions are dropped). A result it cannot serialize (a BigInt, a
 * cycle, a throwing `toJSON`) fails the invocation with the runtime's own error.
 */
function responseBody(id: number, result: unknown): WorkerMessage {
  let body: string | undefined
  try {
    body = JSON.stringify(result === undefined ? null : result)
  } catch {
    return { kind: 'result', id, ok: false, error: attemptError(new Error('Unable to stringify response body')) }
  }
  // A function or a symbol serializes to nothing; the runtime then sends no value.
  return { kind: 'result', id, ok: true, body: body ?? 'null' }
}

process.on('message', async (message: InvokeMessage) => {
  // Dev's answers to the wrapper's own questions (idempotency keys) are the wrapper's to read.
  if (message.kind !== 'invoke') return
  current = { id: message.id, requestId: message.context.awsRequestId }
  let reply: WorkerMessage
  try {
    const handler = await loaded
    reply = responseBody(message.id, await handler(message.payload, lambdaContext(message)))
  } catch (error) {
    reply = { kind: 'result', id: message.id, ok: false, error: attemptError(error) }
  }
  // An uncaught error already answered this invocation.
  if (current?.id !== message.id) return
  current = undefined
  // A string body and an error of strings always serialize: every invocation gets its answer.
  send(reply)
})
