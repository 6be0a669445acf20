import { describe, expect, it } from 'vitest'
import { decodeFailure } from '../../runtime/failures/decode-failure.js'
import type { FailureRecord } from '../../runtime/handler/failure-record.js'
import { NonRetryableError } from '../../runtime/handler/non-retryable-error.js'
import { wrapHandler, type TaskSpec } from '../../runtime/handler/wrap-handler.js'

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:shop-dev-orderPlaced'
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-orders-sendEmail'
const SPEC: TaskSpec = {
  stack: 'orders',
  task: 'sendEmail',
  payload: { type: 'object', properties: { orderId: { schema: { type: 'string' }, optional: false } } },
  defs: {},
}
const INDEX = { app: 'shop', tasks: [{ stack: 'orders', task: 'sendEmail' }] }

/** An SNS event as SNS delivers it to Lambda (the fields the AWS guide lists). */
function snsEvent(...messages: string[]) {
  return {
    Records: messages.map((Message, i) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f5${i}`,
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: `m-${i}`,
        TopicArn: TOPIC_ARN,
        Subject: null,
        Message,
        Timestamp: '2026-12-02T10:00:00.000Z',
        MessageAttributes: {},
      },
    })),
  }
}

let request = 0
const context = () => ({ awsRequestId: `r-${++request}`, invokedFunctionArn: FUNCTION_ARN })

describe('the task wrapper on a topic delivery', () => {
  it('calls the handler once per record with the published payload, not the SNS event', async () => {
    const calls: unknown[] = []
    const sent: FailureRecord[] = []
    const handler = wrapHandler(
      async (payload: unknown) => void calls.push(payload),
      SPEC,
      async (r) => void sent.push(r),
    )
    await handler(snsEvent('{"orderId":"1"}', '{"orderId":"2"}'), context())
    expect(calls).toEqual([{ orderId: '1' }, { orderId: '2' }])
    expect(sent).toEqual([])
  })

  it("a message that fails validation, or is not JSON, becomes a failure record that decodes to the typed payload with source 'topic'", async () => {
    const sent: FailureRecord[] = []
    const calls: unknown[] = []
    const handler = wrapHandler(
      async (payload: unknown) => void calls.push(payload),
      SPEC,
      async (r) => void sent.push(r),
    )
    await handler(snsEvent('{"orderId":3}'), context())
    await handler(snsEvent('not json'), context())
    expect(calls).toEqual([])
    const decoded = sent.map((record) => decodeFailure(JSON.stringify(record), INDEX))
    expect(decoded).toMatchObject([
      { ok: true, failure: { stack: 'orders', task: 'sendEmail', condition: 'ValidationFailed', source: 'topic', topic: TOPIC_ARN, payload: { orderId: 3 } } },
      {
        ok: true,
        failure: {
          condition: 'ValidationFailed',
          source: 'topic',
          topic: TOPIC_ARN,
          payload: 'not json',
          error: { message: `payload: the message published to ${TOPIC_ARN} is not JSON` },
        },
      },
    ])
  })

  it('a publish without a payload (the client sends `{}`: SNS refuses an empty message) calls a handler that takes none with no payload', async () => {
    const calls: unknown[] = []
    const sent: FailureRecord[] = []
    const spec: TaskSpec = { ...SPEC, payload: { type: 'undefined' } }
    const handler = wrapHandler(
      async (...args: unknown[]) => void calls.push(args[0]),
      spec,
      async (r) => void sent.push(r),
    )
    await handler(snsEvent('{}'), context())
    expect(calls).toEqual([undefined])
    expect(sent).toEqual([])
  })

  it('a NonRetryableError is recorded as the topic delivery; any other error is rethrown for Lambda to retry', async () => {
    const sent: FailureRecord[] = []
    const nonRetryable = wrapHandler(
      async () => {
        throw new NonRetryableError('no such order')
      },
      SPEC,
      async (r) => void sent.push(r),
    )
    await nonRetryable(snsEvent('{"orderId":"4"}'), context())
    expect(decodeFailure(JSON.stringify(sent[0]), INDEX)).toMatchObject({
      ok: true,
      failure: { condition: 'NonRetryable', source: 'topic', payload: { orderId: '4' } },
    })
    const failing = wrapHandler(
      async () => {
        throw new Error('smtp down')
      },
      SPEC,
      async (r) => void sent.push(r),
    )
    await expect(failing(snsEvent('{"orderId":"5"}'), context())).rejects.toThrow('smtp down')
  })

  it("Lambda's own record of a topic delivery (requestPayload is SNS's event) decodes to the published payload", () => {
    const body = JSON.stringify({
      version: '1.0',
      timestamp: '2026-12-02T10:00:03.000Z',
      requestContext: { requestId: 'r-x', functionArn: `${FUNCTION_ARN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: snsEvent('{"orderId":"6"}'),
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'smtp down', trace: [] },
    })
    expect(decodeFailure(body, INDEX)).toMatchObject({ ok: true, failure: { source: 'topic', topic: TOPIC_ARN, payload: { orderId: '6' }, attempts: 3 } })
  })

  it('a direct invoke whose payload merely has a Records list is no topic delivery', async () => {
    const calls: unknown[] = []
    const spec: TaskSpec = { ...SPEC, payload: { type: 'unknown' } }
    const handler = wrapHandler(
      async (payload: unknown) => void calls.push(payload),
      spec,
      async () => {},
    )
    await handler({ Records: [{ EventSource: 'aws:sqs', body: '{}' }] }, context())
    expect(calls).toEqual([{ Records: [{ EventSource: 'aws:sqs', body: '{}' }] }])
  })
})
