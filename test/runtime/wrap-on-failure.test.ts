import { describe, expect, it } from 'vitest'
import { wrapOnFailure } from '../../runtime/handler/wrap-on-failure.js'
import type { TaskFailure } from '../../runtime/failures/decode-failure.js'
import { lambdaFailureRecord, nodeTrace } from '../helpers/failure-records.js'
import { scheduleDeadLetterAttributes } from '../helpers/schedule-dead-letter.js'

const INDEX = { app: 'shop', tasks: [{ stack: 'orders', task: 'processOrder' }] }
const record = (messageId: string, orderId: string) => ({
  messageId,
  body: JSON.stringify({
    requestContext: {
      functionArn: 'arn:aws:lambda:us-east-1:1:function:shop-dev-orders-processOrder',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: { orderId },
  }),
  attributes: { ApproximateReceiveCount: '1' },
})

describe('the on-failure wrapper', () => {
  it("hands the handler a schedule's dead-letter event, read from the SQS record's message attributes", async () => {
    const seen: TaskFailure[] = []
    const handler = wrapOnFailure(async (failure) => void seen.push(failure), INDEX)
    const attributes = scheduleDeadLetterAttributes('shop-dev-orders-processOrder', 'shop-dev-orders/processOrder')
    const messageAttributes = Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { stringValue: value, dataType: 'String' }]))
    const log = console.log
    console.log = () => undefined
    try {
      expect(await handler({ Records: [{ messageId: 'm1', body: '{"orderId":"s"}', messageAttributes }] }, {})).toEqual({ batchItemFailures: [] })
    } finally {
      console.log = log
    }
    expect(seen.map((f) => [f.task, f.condition, f.payload, f.schedule])).toEqual([
      ['processOrder', 'ScheduleDeliveryFailed', { orderId: 's' }, attributes.SCHEDULE_ARN],
    ])
  })

  it('calls the handler once per decoded record, and reports the ones it failed on, or could not decode, for redelivery', async () => {
    const seen: TaskFailure[] = []
    const handler = wrapOnFailure(async (failure) => {
      seen.push(failure)
      if ((failure.payload as { orderId: string }).orderId === 'bad') throw new Error('pager down')
    }, INDEX)
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => lines.push(line)
    try {
      const response = await handler({ Records: [record('m1', 'a'), record('m2', 'bad'), { messageId: 'm3', body: 'not json' }, record('m4', 'b')] }, {})
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] })
    } finally {
      console.log = log
    }
    expect(seen.map((f) => [f.stack, f.task, f.condition, f.attempts, f.payload])).toEqual([
      ['orders', 'processOrder', 'RetriesExhausted', 3, { orderId: 'a' }],
      ['orders', 'processOrder', 'RetriesExhausted', 3, { orderId: 'bad' }],
      ['orders', 'processOrder', 'RetriesExhausted', 3, { orderId: 'b' }],
    ])
    expect(lines.map((l) => JSON.parse(l).outcome)).toEqual(['handled', 'error', 'undecodable', 'handled'])
    expect(JSON.parse(lines[2]!)).toMatchObject({ messageId: 'm3', reason: 'the message is not JSON' })
  })

  it("hands the handler the error's stack from a record as Lambda's Node.js runtime writes it (trace)", async () => {
    const seen: TaskFailure[] = []
    const log = console.log
    console.log = () => undefined
    try {
      await wrapOnFailure((failure) => void seen.push(failure), INDEX)(
        { Records: [{ messageId: 'm1', body: lambdaFailureRecord('shop-dev-orders-processOrder', { orderId: 'a' }, 'order a failed') }] },
        {},
      )
    } finally {
      console.log = log
    }
    expect(seen.map((f) => f.error)).toEqual([{ type: 'Error', message: 'order a failed', stack: nodeTrace('order a failed').join('\n') }])
    expect(seen[0]!.error.stack).toMatch(/^Error: order a failed\n {4}at handler /)
  })
})
