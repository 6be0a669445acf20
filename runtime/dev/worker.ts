/**
 * One `task-gen dev` worker: a warm instance of one task's bundle, as a Lambda sandbox is. It runs
 * one invocation at a time; the dev server stops it when an attempt runs past the timeout.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { attemptError, type InvokeMessage, type WorkerMessage } from './protocol.js'

type Handler = (payload: unknown, context: unknown) => unknown

// Stack traces point at the handler's source, through the build's inline source map.
process.setSourceMapsEnabled(true)

const port = parentPort!
const { bundle } = workerData as { bundle: string }

/**
 * Sends what the handler writes through the port its result takes: dev sees each line before the
 * attempt's end, so an attempt's log (LogType Tail) holds all it printed.
 */
function sendOutput(stream: NodeJS.WriteStream): void {
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    port.postMessage({ kind: 'output', text } satisfies WorkerMessage)
    const done = typeof encoding === 'function' ? encoding : callback
    if (done) queueMicrotask(() => done(null))
    return true
  }) as typeof stream.write
}
sendOutput(process.stdout)
sendOutput(process.stderr)

// A module that throws while loading fails every invocation with that error, as in Lambda.
const loaded: Promise<Handler> = import(pathToFileURL(bundle).href).then((mod: { handler?: Handler }) => {
  if (typeof mod.handler !== 'function') throw Object.assign(new Error(`the bundle ${bundle} exports no handler`), { name: 'Runtime.HandlerNotFound' })
  return mod.handler
})
// Reported to each invocation, not as an unhandled rejection that would kill the worker first.
loaded.catch(() => undefined)

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

port.on('message', async (message: InvokeMessage) => {
  let reply: WorkerMessage
  try {
    const handler = await loaded
    reply = responseBody(message.id, await handler(message.payload, lambdaContext(message)))
  } catch (error) {
    reply = { kind: 'result', id: message.id, ok: false, error: attemptError(error) }
  }
  // A string body and an error of strings always clone: every invocation gets its answer.
  port.postMessage(reply)
})
