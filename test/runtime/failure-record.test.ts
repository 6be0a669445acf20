import { describe, expect, it } from 'vitest'
import { attemptError } from '../../runtime/dev/protocol.js'
import { decodeFailure } from '../../runtime/failures/decode-failure.js'
import { lambdaErrorPayload, type FailureRecord } from '../../runtime/handler/failure-record.js'
import { NonRetryableError } from '../../runtime/handler/non-retryable-error.js'
import { wrapHandler, type TaskSpec } from '../../runtime/handler/wrap-handler.js'

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:pay-dev-billing-charge'
const INDEX = { app: 'pay', tasks: [{ stack: 'billing', task: 'charge' }] }
const SPEC: TaskSpec = {
  stack: 'billing',
  task: 'charge',
  payload: { type: 'object', properties: { orderId: { schema: { type: 'string' }, optional: false } } },
  defs: {},
}

class PaymentError extends Error {
  override name = 'PaymentError'
}

describe("lambdaErrorPayload: a thrown value as Lambda's Node.js runtime reports it", () => {
  it('an Error: its name, its message, and its stack line by line, starting with "<name>: <message>"', () => {
    const error = new TypeError('x is undefined')
    const payload = lambdaErrorPayload(error)
    expect(payload).toEqual({ errorType: 'TypeError', errorMessage: 'x is undefined', trace: error.stack!.split('\n') })
    expect(payload.trace![0]).toBe('TypeError: x is undefined')
    expect(payload.trace![1]).toMatch(/^ {4}at /)
  })

  it("an Error of the user's own class, with the name it sets", () => {
    expect(lambdaErrorPayload(new PaymentError('declined')).trace![0]).toBe('PaymentError: declined')
    expect(lambdaErrorPayload(new PaymentError('declined'))).toMatchObject({ errorType: 'PaymentError', errorMessage: 'declined' })
  })

  it('a multi-line message spreads over the first lines of the trace, as the stack holds it', () => {
    expect(lambdaErrorPayload(new Error('one\ntwo')).trace!.slice(0, 2)).toEqual(['Error: one', 'two'])
  })

  it('a value that is not an Error: its typeof and its string, with an empty trace', () => {
    expect(lambdaErrorPayload('boom')).toEqual({ errorType: 'string', errorMessage: 'boom', trace: [] })
    expect(lambdaErrorPayload(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] })
    expect(lambdaErrorPayload({ code: 1 })).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] })
  })

  it('a rejection without a reason is the string "handled", as the runtime reports it', () => {
    expect(lambdaErrorPayload(undefined)).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] })
    expect(lambdaErrorPayload(null)).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] })
  })

  it('an object with name, message and stack strings counts as an Error (from another realm, say)', () => {
    expect(lambdaErrorPayload({ name: 'E', message: 'm', stack: 'E: m\n    at f' })).toEqual({ errorType: 'E', errorMessage: 'm', trace: ['E: m', '    at f'] })
  })

  it("a value that cannot say what it is gets the runtime's fallback, never a throw", () => {
    expect(lambdaErrorPayload(Object.create(null))).toEqual({ errorType: 'handled', errorMessage: expect.stringContaining('problem while retrieving') })
  })

  it('DEL characters are written as %7F, as the runtime does', () => {
    expect(lambdaErrorPayload(new Error('a\x7Fb'))).toMatchObject({ errorMessage: 'a%7Fb', trace: expect.arrayContaining(['Error: a%7Fb']) })
  })
})

describe("dev's attempt error", () => {
  it("is the Node.js runtime's payload, so that dev's records and RequestResponse answers read as Lambda's", () => {
    const error = new Error('first attempt fails')
    expect(attemptError(error)).toEqual(lambdaErrorPayload(error))
    expect(attemptError('plain')).toEqual({ errorType: 'string', errorMessage: 'plain', trace: [] })
  })
})

describe("the task wrapper's records", () => {
  const context = { awsRequestId: 'r-1', invokedFunctionArn: ARN }

  async function recordOf(handler: (payload: unknown) => Promise<unknown>, payload: unknown): Promise<FailureRecord> {
    const sent: FailureRecord[] = []
    const log = console.log
    console.log = () => undefined
    try {
      await wrapHandler(handler, SPEC, async (record) => void sent.push(record))(payload, { ...context, awsRequestId: `r-${Math.random()}` })
    } finally {
      console.log = log
    }
    expect(sent).toHaveLength(1)
    return sent[0]!
  }

  it("NonRetryable: the error in the runtime's shape, its trace the stack, which decodes back to the stack", async () => {
    let thrown: Error | undefined
    const record = await recordOf(
      async () => {
        thrown = new NonRetryableError('no such order')
        throw thrown
      },
      { orderId: 'o-1' },
    )
    expect(record.responsePayload).toEqual({ errorType: 'NonRetryableError', errorMessage: 'no such order', trace: thrown!.stack!.split('\n') })
    expect(record.responsePayload).not.toHaveProperty('stackTrace')
    expect(record.responsePayload!.trace![0]).toBe('NonRetryableError: no such order')
    const decoded = decodeFailure(JSON.stringify(record), INDEX)
    expect(decoded).toMatchObject({
      ok: true,
      failure: { condition: 'NonRetryable', error: { type: 'NonRetryableError', message: 'no such order', stack: thrown!.stack } },
    })
  })

  it('ValidationFailed: no Error was thrown, so the trace is empty', async () => {
    const record = await recordOf(async () => undefined, { orderId: 7 })
    expect(record.responsePayload).toEqual({ errorType: 'ValidationFailed', errorMessage: 'payload.orderId: expected string, got number 7', trace: [] })
  })
})
