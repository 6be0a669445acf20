import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLambdaApi, type LambdaApi } from '../../generator/dev/lambda-api.js'

const FUNCTION = 'app-dev-s-t'
const EVENT_LIMIT = 1_048_576
const SYNC_LIMIT = 6_291_456
const MB = 1024 * 1024

/** What the endpoint handed to the task: the size of each payload it accepted. */
const accepted: number[] = []

let api: LambdaApi
beforeAll(async () => {
  api = await startLambdaApi(0, {
    lambda: (name) =>
      name !== FUNCTION
        ? undefined
        : {
            functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}`,
            enqueue: (payload) => void accepted.push(JSON.stringify(payload).length),
            invoke: async (payload) => {
              accepted.push(JSON.stringify(payload).length)
              return { ok: true, body: '"done"', timedOut: false, durationMs: 1, records: [] }
            },
          },
  })
})
afterAll(() => api.close())

interface Sent {
  status: number
  errorType: string | undefined
  body: string
  /** Body bytes the client had written when the answer came. */
  writtenAtAnswer: number
  /** Body bytes the client had written when the server closed the connection (or the client did, after a whole body and its answer). */
  writtenAtClose: number
  /** The server told the client to send its body (Expect: 100-continue). */
  continued: boolean
}

type Write = (chunk: Buffer) => Promise<boolean>

/** The first final answer in `bytes` (skipping a 100 Continue), once all of it has arrived. */
function answerIn(bytes: string): { status: number; headers: Map<string, string>; body: string; continued: boolean } | undefined {
  const continued = bytes.startsWith('HTTP/1.1 100')
  const rest = continued ? bytes.slice(bytes.indexOf('\r\n\r\n') + 4) : bytes
  const headEnd = rest.indexOf('\r\n\r\n')
  if (headEnd < 0) return undefined
  const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n')
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
  const body = rest.slice(headEnd + 4)
  if (body.length < Number(headers.get('content-length') ?? 0)) return undefined
  return { status: Number(statusLine!.split(' ')[1]), headers, body, continued }
}

/**
 * A raw HTTP/1.1 request over a TCP socket (not our client, nor one that stops when it has its
 * answer): `body` writes the body through a function that counts the bytes, waits for the socket
 * to take them, and answers false once the connection is closed.
 */
function send(headers: Record<string, string | number>, body: (write: Write) => Promise<void>): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const chunked = headers['transfer-encoding'] === 'chunked'
    const socket = connect(Number(new URL(api.endpoint).port), '127.0.0.1')
    let written = 0
    let closed = false
    let received = ''
    let answered: { writtenAtAnswer: number; answer: NonNullable<ReturnType<typeof answerIn>> } | undefined
    const head = Object.entries({ host: '127.0.0.1', ...headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')
    socket.write(`POST /2015-03-31/functions/${FUNCTION}/invocations HTTP/1.1\r\n${head}\r\n`)
    const write: Write = (chunk) =>
      new Promise((done) => {
        if (closed) return done(false)
        written += chunk.byteLength
        const framed = chunked ? Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk
        if (socket.write(framed)) return done(true)
        const drained = () => done(!closed)
        socket.once('drain', drained).once('close', drained)
      })
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1')
      const answer = answered ? undefined : answerIn(received)
      if (answer) answered = { writtenAtAnswer: written, answer }
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      closed = true
      if (!answered) return reject(new Error(`the connection closed after ${written} bytes of body, with no answer: ${JSON.stringify(received)}`))
      const { answer, writtenAtAnswer } = answered
      resolve({
        status: answer.status,
        errorType: answer.headers.get('x-amzn-errortype'),
        body: answer.body,
        writtenAtAnswer,
        writtenAtClose: written,
        continued: answer.continued,
      })
    })
    void body(write).then(async () => {
      if (chunked) await write(Buffer.alloc(0))
      // The whole body is sent: the connection stays open (keep-alive) until the answer, then the client ends it.
      const endOnAnswer = () => (answered ? socket.end() : setTimeout(endOnAnswer, 10))
      endOnAnswer()
    })
  })
}

/** Writes `total` bytes in 64 KB chunks, as fast as the socket takes them, stopping when it closes. */
const stream = (total: number) => async (write: Write) => {
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  for (let sent = 0; sent < total; sent += chunk.byteLength) if (!(await write(chunk))) return
}

/** 1 KB every 50 ms, up to 1,000 KB. */
const trickle = async (write: Write) => {
  for (let i = 0; i < 1000; i++) {
    if (!(await write(Buffer.alloc(1024, 0x20)))) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const jsonOfLength = (n: number) => Buffer.from(`"${'x'.repeat(n - 2)}"`)

describe('the dev Invoke API refuses a too-large request without reading it', () => {
  it('a declared Content-Length past the limit: 413 RequestEntityTooLargeException at once, before the body is sent; then the connection is cut', async () => {
    // 200 MB declared, then a trickle: the old endpoint waited for all of it.
    const sent = await send({ 'content-length': 200 * MB, 'x-amz-invocation-type': 'RequestResponse' }, trickle)
    expect(sent).toMatchObject({ status: 413, errorType: 'RequestEntityTooLargeException' })
    expect(JSON.parse(sent.body)).toEqual({ Type: 'User', message: `Request must be smaller than ${SYNC_LIMIT} bytes for the InvokeFunction operation` })
    // Answered on the declared length: a few KB of the trickle at most (the first KB goes out with the head).
    expect(sent.writtenAtAnswer).toBeLessThan(100 * 1024)
    // The server cut the connection long before the client had sent its 1,000 KB trickle.
    expect(sent.writtenAtClose).toBeLessThan(900 * 1024)
    expect(accepted).toEqual([])
  }, 30_000)

  it('a chunked body streamed past the limit is refused once it passes it, and the connection is cut well before 50 MB', async () => {
    const sent = await send({ 'transfer-encoding': 'chunked' }, stream(50 * MB))
    expect(sent).toMatchObject({ status: 413, errorType: 'RequestEntityTooLargeException' })
    expect(JSON.parse(sent.body).message).toBe(`Request must be smaller than ${SYNC_LIMIT} bytes for the InvokeFunction operation`)
    // The answer comes once the limit is passed (what the client wrote then includes the sockets' buffers).
    expect(sent.writtenAtAnswer).toBeGreaterThan(SYNC_LIMIT)
    expect(sent.writtenAtAnswer).toBeLessThan(30 * MB)
    expect(sent.writtenAtClose).toBeLessThan(40 * MB)
    expect(accepted).toEqual([])
  }, 30_000)

  it("Event: past 1 MB, in Lambda's words for the Event invocation type, declared or chunked", async () => {
    const declared = await send({ 'content-length': 2 * MB, 'x-amz-invocation-type': 'Event' }, trickle)
    expect(declared).toMatchObject({ status: 413, errorType: 'RequestEntityTooLargeException' })
    expect(JSON.parse(declared.body).message).toBe(`${2 * MB} byte payload is too large for the Event invocation type (limit ${EVENT_LIMIT} bytes)`)
    expect(declared.writtenAtAnswer).toBeLessThan(100 * 1024)
    const chunked = await send({ 'transfer-encoding': 'chunked', 'x-amz-invocation-type': 'Event' }, stream(50 * MB))
    expect(chunked).toMatchObject({ status: 413, errorType: 'RequestEntityTooLargeException' })
    expect(JSON.parse(chunked.body).message).toBe(
      `More than ${EVENT_LIMIT} byte payload is too large for the Event invocation type (limit ${EVENT_LIMIT} bytes)`,
    )
    expect(chunked.writtenAtClose).toBeLessThan(40 * MB)
    // Past 6 MB, an Event request gets the request limit's answer, as in Lambda.
    const huge = await send({ 'content-length': 7 * MB, 'x-amz-invocation-type': 'Event' }, stream(7 * MB))
    expect(JSON.parse(huge.body).message).toBe(`Request must be smaller than ${SYNC_LIMIT} bytes for the InvokeFunction operation`)
    expect(accepted).toEqual([])
  }, 30_000)

  it('a client that asks first (Expect: 100-continue) is refused without being told to send', async () => {
    const sent = await send({ 'content-length': 200 * MB, expect: '100-continue' }, async () => undefined)
    expect(sent).toMatchObject({ status: 413, errorType: 'RequestEntityTooLargeException', continued: false, writtenAtAnswer: 0 })
  }, 30_000)

  it('a payload of exactly the limit is accepted, chunked or declared', async () => {
    accepted.length = 0
    const event = jsonOfLength(EVENT_LIMIT)
    expect(
      (
        await send({ 'content-length': event.byteLength, 'x-amz-invocation-type': 'Event', expect: '100-continue' }, (write) =>
          write(event).then(() => undefined),
        )
      ).status,
    ).toBe(202)
    const sync = jsonOfLength(SYNC_LIMIT)
    expect((await send({ 'transfer-encoding': 'chunked' }, (write) => write(sync).then(() => undefined))).status).toBe(200)
    expect(accepted).toEqual([EVENT_LIMIT, SYNC_LIMIT])
    accepted.length = 0
  }, 30_000)

  it('boto3 gets the RequestEntityTooLargeException it gets from Lambda, for Event and RequestResponse', async () => {
    // Lambda's answer is not in boto3's model (it names the shape RequestTooLargeException): boto3 raises a ClientError with Lambda's code.
    const script = `
import boto3, sys
from botocore.exceptions import ClientError
client = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='y')
for kind, size in (('Event', ${EVENT_LIMIT + 1}), ('RequestResponse', ${SYNC_LIMIT + 1}), ('RequestResponse', ${10 * MB})):
    try:
        client.invoke(FunctionName='${FUNCTION}', InvocationType=kind, Payload=b'"' + b'x' * (size - 2) + b'"')
        print(kind, 'accepted')
    except ClientError as error:
        print(kind, error.response['ResponseMetadata']['HTTPStatusCode'], error.response['Error']['Code'], error.response['Error']['Message'])
`
    const run = await promisify(execFile)('python3', ['-c', script, api.endpoint], { encoding: 'utf8', timeout: 60_000 })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim().split('\n')).toEqual([
      `Event 413 RequestEntityTooLargeException ${EVENT_LIMIT + 1} byte payload is too large for the Event invocation type (limit ${EVENT_LIMIT} bytes)`,
      `RequestResponse 413 RequestEntityTooLargeException Request must be smaller than ${SYNC_LIMIT} bytes for the InvokeFunction operation`,
      `RequestResponse 413 RequestEntityTooLargeException Request must be smaller than ${SYNC_LIMIT} bytes for the InvokeFunction operation`,
    ])
    expect(accepted).toEqual([])
  }, 90_000)
})
