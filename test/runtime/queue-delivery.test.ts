import { describe, expect, it } from 'vitest'
import { decodeFailure } from '../../runtime/failures/decode-failure.js'
import type { FailureRecord } from '../../runtime/handler/failure-record.js'
import { wrapHandler, type TaskSpec } from '../../runtime/handler/wrap-handler.js'

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:shop-dev-work-process-queue'
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-work-process'
const SPEC: TaskSpec = {
  stack: 'work',
  task: 'process',
  payload: { type: 'object', properties: { id: { schema: { type: 'string' }, optional: false }, fail: { schema: { type: 'boolean' }, optional: true } } },
  defs: {},
  maxReceives: 3,
}
const INDEX = { app: 'shop', tasks: [{ stack: 'work', task: 'process' }] }

/** An SQS batch as an event source mapping delivers it (the fields the AWS guide lists). */
function sqsEvent(...messages: { body: string; receives: number }[]) {
  return sqsEventOn(QUEUE_ARN, ...messages)
}

function sqsEventOn(queueArn: string, ...messages: { body: string; receives: number }[]) {
  return {
    Records: messages.map(({ body, receives }, i) => ({
      messageId: `m-${i}`,
      receiptHandle: `rh-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receives),
        SentTimestamp: '1764669600000',
        SenderId: 'AIDA',
        ApproximateFirstReceiveTimestamp: '1764669600001',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    })),
  }
}

const context = { awsRequestId: 'r-1', invokedFunctionArn: FUNCTION_ARN }

describe('the task wrapper on a queue batch', () => {
  it('on a FIFO queue stops at the first message to be received again and hands back the rest unrun, so that a group stays in order', async () => {
    const calls: unknown[] = []
    const handler = wrapHandler(
      async (job: { id: string; fail?: boolean }) => {
        calls.push(job.id)
        if (job.fail) throw new Error(`cannot process ${job.id}`)
      },
      SPEC,
      async () => {},
    )
    const fifo = `${QUEUE_ARN}.fifo`
    const result = await handler(
      sqsEventOn(fifo, { body: '{"id":"a"}', receives: 1 }, { body: '{"id":"b","fail":true}', receives: 1 }, { body: '{"id":"c"}', receives: 1 }),
      context,
    )
    expect(calls).toEqual(['a', 'b'])
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] })
  })

  it('calls the handler once per message and reports exactly the failed ones for another receive', async () => {
    const calls: unknown[] = []
    const sent: FailureRecord[] = []
    const handler = wrapHandler(
      async (job: { id: string; fail?: boolean }) => {
        calls.push(job)
        if (job.fail) throw new Error(`cannot process ${job.id}`)
      },
      SPEC,
      async (r) => void sent.push(r),
    )
    const result = await handler(
      sqsEvent({ body: '{"id":"a"}', receives: 1 }, { body: '{"id":"b","fail":true}', receives: 2 }, { body: '{"id":"c"}', receives: 1 }),
      context,
    )
    expect(calls).toEqual([{ id: 'a' }, { id: 'b', fail: true }, { id: 'c' }])
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] })
    expect(sent).toEqual([])
  })

  it('on its last receive a failed message becomes a failure record in Lambda\'s format that decodes with source "queue", and is not reported again', async () => {
    const sent: FailureRecord[] = []
    const handler = wrapHandler(
      async () => {
        throw new Error('cannot process b')
      },
      SPEC,
      async (r) => void sent.push(r),
    )
    const result = await handler(sqsEvent({ body: '{"id":"b"}', receives: 3 }), context)
    expect(result).toEqual({ batchItemFailures: [] })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: FUNCTION_ARN, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'cannot process b' },
    })
    const decoded = decodeFailure(JSON.stringify(sent[0]), INDEX)
    expect(decoded).toMatchObject({
      ok: true,
      failure: {
        stack: 'work',
        task: 'process',
        source: 'queue',
        queue: QUEUE_ARN,
        payload: { id: 'b' },
        attempts: 3,
        condition: 'RetriesExhausted',
        error: { message: 'cannot process b' },
      },
    })
  })

  it('a message that does not match the type is recorded at once (ValidationFailed), not retried', async () => {
    const sent: FailureRecord[] = []
    const handler = wrapHandler(
      async () => {},
      SPEC,
      async (r) => void sent.push(r),
    )
    const result = await handler(sqsEvent({ body: '{"id":5}', receives: 1 }, { body: 'not json', receives: 1 }), context)
    expect(result).toEqual({ batchItemFailures: [] })
    expect(sent.map((r) => r.requestContext.condition)).toEqual(['ValidationFailed', 'ValidationFailed'])
    expect(decodeFailure(JSON.stringify(sent[0]), INDEX)).toMatchObject({ ok: true, failure: { source: 'queue', payload: { id: 5 } } })
    expect(decodeFailure(JSON.stringify(sent[1]), INDEX)).toMatchObject({ ok: true, failure: { source: 'queue', payload: 'not json' } })
  })
})
