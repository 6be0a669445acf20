import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invokeTask } from '../../runtime/client/invoke.js'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import { openEvent, sealEnvelope, type PayloadReference } from '../../runtime/envelope.js'
import { decodeFailure } from '../../runtime/failures/decode-failure.js'
import { resolveFailurePayload } from '../../runtime/failures/resolve-payload.js'
import type { FailureRecord } from '../../runtime/handler/failure-record.js'
import { NonRetryableError } from '../../runtime/handler/non-retryable-error.js'
import { wrapHandler } from '../../runtime/handler/wrap-handler.js'
import { sha256Hex } from '../../runtime/payloads.js'
import { startLambdaServer, type LambdaTestServer } from '../helpers/lambda-server.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'

const BUCKET = 'shop-dev-payloads'
const ITEMS = { type: 'object', properties: { items: { schema: { type: 'array', items: { type: 'string' } }, optional: false } } } as const
const manifest: ClientManifest = {
  app: 'shop',
  stage: 'dev',
  region: 'eu-west-1',
  stacks: { orders: { importCatalog: { payload: ITEMS } } },
  payloads: { offloadAbove: 1024, maxSize: 8 * 1024 * 1024 },
  defs: {},
}
const spec = { stack: 'orders', task: 'importCatalog', payload: ITEMS, defs: {} }
const context = { awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:shop-dev-orders-importCatalog' }

/** About `bytes` of JSON: 1000-character strings. */
function payloadOf(bytes: number): { items: string[] } {
  return { items: Array.from({ length: Math.ceil(bytes / 1003) }, (_, i) => `${i}`.padEnd(1000, 'x')) }
}

describe('large payloads stored in S3 (moto) and invoked by reference', () => {
  let moto: MotoServer
  let lambda: LambdaTestServer
  let s3: S3Client
  const saved = { ...process.env }

  beforeAll(async () => {
    moto = await startMoto()
    lambda = await startLambdaServer()
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
    })
    delete process.env.TASK_GEN_STAGE
    s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'eu-west-1' })
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))
  }, 60_000)

  afterAll(async () => {
    process.env = saved
    await lambda.close()
    await moto.stop()
  })

  beforeEach(() => {
    lambda.requests.length = 0
    lambda.respond(() => ({ status: 202 }))
  })

  async function objects(): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))
    return (listed.Contents ?? []).map((o) => o.Key!)
  }

  it("stores a 5 MB payload under the task's prefix and invokes with an envelope that references it", async () => {
    const payload = payloadOf(5 * 1024 * 1024)
    const body = JSON.stringify(payload)
    await invokeTask({ manifest, stack: 'orders', task: 'importCatalog' }, payload)
    expect(lambda.requests).toHaveLength(1)
    const event = JSON.parse(lambda.requests[0]!.body)
    const opened = openEvent(event)
    expect(opened.kind).toBe('envelope')
    const ref = (opened as { envelope: { payloadRef: PayloadReference } }).envelope.payloadRef
    expect(ref).toMatchObject({ bucket: BUCKET, bytes: Buffer.byteLength(body), sha256: sha256Hex(new TextEncoder().encode(body)) })
    expect(ref.key).toMatch(/^shop\/dev\/orders\/importCatalog\/[0-9a-f-]{36}\.json$/)
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: ref.key }))
    expect(await stored.Body!.transformToString()).toBe(body)
    expect(lambda.requests[0]!.body.length).toBeLessThan(1024)
  })

  it('sends a payload at the threshold inline, as a plain event', async () => {
    const before = await objects()
    const payload = { items: ['a'.repeat(1024 - '{"items":[""]}'.length)] }
    expect(JSON.stringify(payload)).toHaveLength(1024)
    await invokeTask({ manifest, stack: 'orders', task: 'importCatalog' }, payload)
    expect(JSON.parse(lambda.requests[0]!.body)).toEqual(payload)
    expect(await objects()).toEqual(before)
  })

  it('refuses a payload over maxSize before uploading, naming its size and the limit', async () => {
    const before = await objects()
    const error = await invokeTask({ manifest, stack: 'orders', task: 'importCatalog' }, payloadOf(9 * 1024 * 1024)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', attempts: 0 })
    expect((error as Error).message).toMatch(
      /^Task orders\.importCatalog: the payload is \d+ bytes serialized; the app's payloads\.maxSize is 8388608; nothing was sent$/,
    )
    expect(lambda.requests).toEqual([])
    expect(await objects()).toEqual(before)
  })

  it('refuses a payload over 1 MB without payloads in the config, and says how to send it', async () => {
    const { payloads: _, ...inlineOnly } = manifest
    const error = await invokeTask({ manifest: inlineOnly, stack: 'orders', task: 'importCatalog' }, payloadOf(1_100_000)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
    expect((error as Error).message).toContain(
      'Lambda accepts at most 1048576 for an asynchronous invoke (set "payloads" in task-gen.json to store larger ones in S3)',
    )
  })

  it('the wrapper reads the payload back before validation: the handler gets it as if it had been sent inline', async () => {
    const payload = payloadOf(2 * 1024 * 1024)
    await invokeTask({ manifest, stack: 'orders', task: 'importCatalog' }, payload)
    const event = JSON.parse(lambda.requests[0]!.body)
    const received: unknown[] = []
    const records: FailureRecord[] = []
    const handler = wrapHandler(
      (p: unknown) => void received.push(p),
      spec,
      async (r) => void records.push(r),
    )
    await handler(event, context)
    expect(received).toEqual([payload])
    expect(records).toEqual([])
  })

  it('an object that is not what the reference says ends the event with a ValidationFailed record that keeps the reference', async () => {
    const body = new TextEncoder().encode(JSON.stringify(payloadOf(4000)))
    const ref = { bucket: BUCKET, key: 'shop/dev/orders/importCatalog/altered.json', bytes: body.byteLength, sha256: sha256Hex(body) }
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: ref.key, Body: JSON.stringify(payloadOf(4100)).slice(0, body.byteLength) }))
    const event = sealEnvelope({ payloadRef: ref })
    const records: FailureRecord[] = []
    let ran = false
    await wrapHandler(
      () => void (ran = true),
      spec,
      async (r) => void records.push(r),
    )(event, context)
    expect(ran).toBe(false)
    expect(records).toHaveLength(1)
    expect(records[0]!.requestContext.condition).toBe('ValidationFailed')
    expect(records[0]!.responsePayload!.errorMessage).toMatch(
      /^payload: the payload stored at s3:\/\/shop-dev-payloads\/shop\/dev\/orders\/importCatalog\/altered\.json has SHA-256 [0-9a-f]{64}; the event says [0-9a-f]{64}$/,
    )
    expect(records[0]!.requestPayload).toEqual(event)
  })

  it('a failure record of an offloaded event is small, keeps the reference, and decodes to the whole payload', async () => {
    const payload = payloadOf(3 * 1024 * 1024)
    await invokeTask({ manifest, stack: 'orders', task: 'importCatalog' }, payload)
    const event = JSON.parse(lambda.requests[0]!.body)
    const records: FailureRecord[] = []
    await wrapHandler(
      () => Promise.reject(new NonRetryableError('bad catalog')),
      spec,
      async (r) => void records.push(r),
    )(event, context)
    expect(records).toHaveLength(1)
    const text = JSON.stringify(records[0])
    expect(text.length).toBeLessThan(64 * 1024)
    const decoded = decodeFailure(text, { app: 'shop', tasks: [{ stack: 'orders', task: 'importCatalog' }] })
    if (!decoded.ok) throw new Error(decoded.reason)
    expect(decoded.failure.payload).toBeUndefined()
    expect(decoded.failure.payloadRef).toEqual(event.payloadRef)
    const resolved = await resolveFailurePayload(decoded.failure)
    expect(resolved).toEqual({ ok: true, failure: { ...decoded.failure, payload } })
  })

  it('a missing object is a reason, not a crash', async () => {
    const ref = { bucket: BUCKET, key: 'shop/dev/orders/importCatalog/gone.json', bytes: 2, sha256: sha256Hex(new TextEncoder().encode('{}')) }
    const failure = {
      stack: 'orders',
      task: 'importCatalog',
      condition: 'RetriesExhausted',
      error: { type: 'Error', message: '', stack: '' },
      attempts: 3,
      functionArn: '',
      requestId: '',
      timestamp: '',
      payload: undefined,
      payloadRef: ref,
      source: 'invoke' as const,
    }
    expect(await resolveFailurePayload(failure)).toEqual({
      ok: false,
      reason: 'the payload stored at s3://shop-dev-payloads/shop/dev/orders/importCatalog/gone.json does not exist (expired, or deleted)',
    })
  })
})
