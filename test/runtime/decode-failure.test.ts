import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeFailure, functionNameOfArn } from '../../runtime/failures/decode-failure.js'
import { scheduleDeadLetterAttributes } from '../helpers/schedule-dead-letter.js'

interface Case {
  description: string
  body: string
  expected: { ok: true; failure: Record<string, unknown> } | { ok: false; reason: string }
}

const CASES = JSON.parse(readFileSync(new URL('../fixtures/failure-records/cases.json', import.meta.url), 'utf8')) as Case[]
const SHOP = {
  app: 'shop',
  tasks: [
    { stack: 'orders', task: 'processOrder' },
    { stack: 'orders', task: 'sendReceipt' },
    { stack: 'reports', task: 'generateReport' },
    { stack: 'reports', task: 'cleanupExports' },
  ],
}

describe('decodeFailure, on a corpus of real-format records', () => {
  it('has the cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(12)
  })

  it.each(CASES.map((c) => [c.description, c] as const))('%s', (_description, c) => {
    const decoded = decodeFailure(c.body, SHOP)
    if (c.expected.ok) {
      // A record without requestPayload decodes to payload undefined; JSON has no undefined.
      // Every record of the corpus is a direct invoke's: `source` defaults to 'invoke'.
      expect(decoded).toEqual({
        ok: true,
        failure: {
          source: 'invoke',
          ...c.expected.failure,
          payload: c.expected.failure.payload ?? (JSON.parse(c.body) as { requestPayload?: unknown }).requestPayload,
        },
      })
    } else {
      expect(decoded).toEqual({ ok: false, reason: c.expected.reason, body: c.body })
    }
  })

  it('prefers the longest stack-task match when names overlap', () => {
    const index = {
      app: 'a',
      tasks: [
        { stack: 'x', task: 'y' },
        { stack: 'b_x', task: 'y' },
      ],
    }
    const body = JSON.stringify({ requestContext: { functionArn: 'arn:aws:lambda:us-east-1:1:function:a-dev-b_x-y' } })
    expect(decodeFailure(body, index)).toMatchObject({ ok: true, failure: { stack: 'b_x', task: 'y' } })
  })

  it('reads the function name from qualified and unqualified ARNs', () => {
    expect(functionNameOfArn('arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST')).toBe('f')
    expect(functionNameOfArn('arn:aws:lambda:us-east-1:123456789012:function:f')).toBe('f')
    expect(functionNameOfArn('arn:aws:sqs:us-east-1:123456789012:f')).toBeUndefined()
  })
})

describe("decodeFailure, on EventBridge Scheduler's dead-letter events", () => {
  const attributes = scheduleDeadLetterAttributes('shop-dev-reports-generateReport', 'shop-dev-reports/generateReport-0')

  it('decodes the input it could not deliver as the payload, naming the schedule and its error', () => {
    const body = JSON.stringify({ name: 'daily' })
    expect(decodeFailure(body, SHOP, attributes)).toEqual({
      ok: true,
      failure: {
        stack: 'reports',
        task: 'generateReport',
        condition: 'ScheduleDeliveryFailed',
        error: { type: 'AWS.Lambda.TooManyRequestsException', message: 'Rate Exceeded.', stack: '' },
        attempts: 0,
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-reports-generateReport',
        requestId: 'c0ffee00-0000-4000-8000-000000000001',
        timestamp: '',
        payload: { name: 'daily' },
        source: 'schedule',
        schedule: 'arn:aws:scheduler:us-east-1:123456789012:schedule/shop-dev-reports/generateReport-0',
      },
    })
  })

  it('an empty body is no payload; a body that is not JSON, or a target of another app, is kept undecoded', () => {
    expect(decodeFailure('', SHOP, attributes)).toMatchObject({ ok: true, failure: { payload: undefined } })
    expect(decodeFailure('{', SHOP, attributes)).toEqual({ ok: false, reason: "a schedule's dead-letter event whose body is not JSON", body: '{' })
    const other = scheduleDeadLetterAttributes('blog-dev-reports-generateReport', 'x/y')
    expect(decodeFailure('{}', SHOP, other)).toMatchObject({
      ok: false,
      reason: 'the function blog-dev-reports-generateReport is not a task of the app "shop"',
    })
  })

  it("Lambda's records are read as before: attributes without SCHEDULE_ARN change nothing", () => {
    const body = JSON.stringify({
      requestContext: { functionArn: 'arn:aws:lambda:us-east-1:1:function:shop-dev-orders-processOrder', condition: 'RetriesExhausted' },
      requestPayload: { orderId: '1' },
    })
    expect(decodeFailure(body, SHOP, { OTHER: 'x' })).toEqual(decodeFailure(body, SHOP))
    expect(decodeFailure(body, SHOP)).toMatchObject({ ok: true, failure: { condition: 'RetriesExhausted' } })
    expect((decodeFailure(body, SHOP) as { failure: object }).failure).not.toHaveProperty('schedule')
  })
})
