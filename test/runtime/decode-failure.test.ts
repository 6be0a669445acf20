import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeFailure, functionNameOfArn } from '../../runtime/failures/decode-failure.js'

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
      expect(decoded).toEqual({ ok: true, failure: { ...c.expected.failure, payload: c.expected.failure.payload ?? (JSON.parse(c.body) as { requestPayload?: unknown }).requestPayload } })
    } else {
      expect(decoded).toEqual({ ok: false, reason: c.expected.reason, body: c.body })
    }
  })

  it('prefers the longest stack-task match when names overlap', () => {
    const index = { app: 'a', tasks: [{ stack: 'x', task: 'y' }, { stack: 'b_x', task: 'y' }] }
    const body = JSON.stringify({ requestContext: { functionArn: 'arn:aws:lambda:us-east-1:1:function:a-dev-b_x-y' } })
    expect(decodeFailure(body, index)).toMatchObject({ ok: true, failure: { stack: 'b_x', task: 'y' } })
  })

  it('reads the function name from qualified and unqualified ARNs', () => {
    expect(functionNameOfArn('arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST')).toBe('f')
    expect(functionNameOfArn('arn:aws:lambda:us-east-1:123456789012:function:f')).toBe('f')
    expect(functionNameOfArn('arn:aws:sqs:us-east-1:123456789012:f')).toBeUndefined()
  })
})
