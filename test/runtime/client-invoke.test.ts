import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { generateShopClient, type ShopClient } from '../helpers/generated-shop.js'
import { startLambdaServer, type LambdaTestServer } from '../helpers/lambda-server.js'
import { removeTempDirs } from '../helpers/temp.js'

const ORDER = { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }] }

describe('the generated client against a Lambda-API server on loopback', () => {
  let server: LambdaTestServer
  let client: ShopClient
  let generated: Awaited<ReturnType<typeof generateShopClient>>
  const saved = { ...process.env }

  beforeAll(async () => {
    server = await startLambdaServer()
    generated = await generateShopClient('invoke-client')
    Object.assign(process.env, { AWS_ENDPOINT_URL_LAMBDA: server.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' })
    delete process.env.TASK_GEN_STAGE
    client = await generated.load()
  })

  afterAll(async () => {
    process.env = saved
    await server.close()
    generated.remove()
    removeTempDirs()
  })

  beforeEach(() => {
    server.requests.length = 0
    server.maxInFlight = 0
    server.respond(() => ({ status: 202 }))
    client.configure({ maxAttempts: 3, requestTimeoutMs: 10_000 })
  })

  it('sends a signed Event invoke to the derived function name and resolves with the request id once accepted', async () => {
    const accepted = await client.Task.orders!.processOrder!({ ...ORDER, priority: client.Priority.High })
    expect(accepted).toEqual({ requestId: 'req-1', functionName: 'shop-dev-orders-processOrder', attempts: 1 })
    const [request] = server.requests
    expect(request).toMatchObject({ method: 'POST', path: '/2015-03-31/functions/shop-dev-orders-processOrder/invocations' })
    expect(request!.headers['x-amz-invocation-type']).toBe('Event')
    expect(request!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    )
    expect(JSON.parse(request!.body)).toEqual({ ...ORDER, priority: 'high' })
  })

  it('refuses an invalid payload before sending anything', async () => {
    const error = await client.Task.orders!.processOrder!({ orderId: 123 }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'TaskInvokeError',
      code: 'INVALID_PAYLOAD',
      stackName: 'orders',
      taskName: 'processOrder',
      functionName: 'shop-dev-orders-processOrder',
      attempts: 0,
    })
    expect((error as { issues: unknown }).issues).toEqual([
      { path: 'payload.orderId', message: 'expected string, got number 123' },
      { path: 'payload.customerId', message: 'is required' },
      { path: 'payload.items', message: 'is required' },
    ])
    expect(server.requests).toEqual([])
  })

  it('sends an invalid payload when validate is false', async () => {
    await client.Task.orders!.processOrder!({ orderId: 123 }, { validate: false })
    expect(server.requests.map((r) => r.body)).toEqual(['{"orderId":123}'])
  })

  it('refuses a 1.2 MB payload before any request reaches the server, naming the task, size and limit', async () => {
    const big = { ...ORDER, orderId: 'x'.repeat(1_200_000) }
    const error = await client.Task.orders!.processOrder!(big).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TaskInvokeError', code: 'PAYLOAD_TOO_LARGE' })
    expect((error as Error).message).toBe(
      'Task orders.processOrder: the payload is 1200076 bytes serialized; Lambda accepts at most 1048576 for an asynchronous invoke (set "payloads" in task-gen.json to store larger ones in S3); nothing was sent',
    )
    expect(server.requests).toEqual([])
  })

  it('takes the stage from TASK_GEN_STAGE, and from the call over it', async () => {
    process.env.TASK_GEN_STAGE = 'prod'
    try {
      await client.Task.reports!.cleanupExports!()
      await client.Task.reports!.cleanupExports!(undefined, { stage: 'qa' })
    } finally {
      delete process.env.TASK_GEN_STAGE
    }
    expect(server.requests.map((r) => r.functionName)).toEqual(['shop-prod-reports-cleanupExports', 'shop-qa-reports-cleanupExports'])
  })

  it('retries 500s: with the first two failing, the call resolves after three requests', async () => {
    server.respond((_, i) => (i < 2 ? { status: 500 } : { status: 202 }))
    const accepted = await client.Task.orders!.processOrder!(ORDER)
    expect(server.requests).toHaveLength(3)
    expect(accepted.attempts).toBe(3)
    expect(new Set(server.requests.map((r) => r.body))).toEqual(new Set([JSON.stringify(ORDER)]))
  })

  it('retries throttling (429)', async () => {
    server.respond((_, i) => (i < 2 ? { status: 429 } : { status: 202 }))
    await expect(client.Task.orders!.processOrder!(ORDER)).resolves.toMatchObject({ attempts: 3 })
  })

  it('retries a dropped connection', async () => {
    server.respond((_, i) => (i === 0 ? { reset: true } : { status: 202 }))
    await expect(client.Task.orders!.processOrder!(ORDER)).resolves.toMatchObject({ attempts: 2 })
    expect(server.requests).toHaveLength(2)
  })

  it('retries a response slower than requestTimeoutMs', async () => {
    client.configure({ requestTimeoutMs: 200 })
    server.respond((_, i) => (i === 0 ? { status: 202, delayMs: 1_000 } : { status: 202 }))
    await expect(client.Task.orders!.processOrder!(ORDER)).resolves.toMatchObject({ attempts: 2 })
  })

  it('gives up after maxAttempts, rejecting with the attempts and the cause', async () => {
    client.configure({ maxAttempts: 2 })
    server.respond(() => ({ status: 500 }))
    const error = await client.Task.orders!.processOrder!(ORDER).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TaskInvokeError', code: 'INVOKE_FAILED', attempts: 2, functionName: 'shop-dev-orders-processOrder' })
    expect((error as Error).cause).toMatchObject({ name: 'ServiceException', $metadata: { httpStatusCode: 500 } })
    expect(server.requests).toHaveLength(2)
  })

  it('rejects, naming the function and stage, when the function does not exist (404)', async () => {
    server.respond(() => ({ status: 404, body: '{"Type":"User","message":"Function not found"}' }))
    const error = await client.Task.orders!.processOrder!(ORDER).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TaskInvokeError', code: 'FUNCTION_NOT_FOUND', functionName: 'shop-dev-orders-processOrder', attempts: 1 })
    expect((error as Error).message).toBe(
      'Task orders.processOrder: no Lambda function named shop-dev-orders-processOrder (stage "dev"); is the stack deployed to this stage and region?',
    )
    expect(server.requests).toHaveLength(1)
  })

  it('never resolves for an event that was not accepted', async () => {
    server.respond(() => ({ status: 200, body: 'null' }))
    await expect(client.Task.orders!.processOrder!(ORDER)).rejects.toMatchObject({ code: 'NOT_ACCEPTED' })
  })

  it('batch: 100 payloads with 5 failing give 100 results in order, 5 of them failed, at most 10 in flight', async () => {
    server.respond((request) => (JSON.parse(request.body).orderId.startsWith('fail') ? { status: 400 } : { status: 202, delayMs: 5 }))
    const payloads = Array.from({ length: 100 }, (_, i) => ({ ...ORDER, orderId: i % 20 === 7 ? `fail-${i}` : `order-${i}` }))
    const results = await client.Task.orders!.processOrder!.batch(payloads)
    expect(results).toHaveLength(100)
    expect(results.map((r) => r.index)).toEqual(payloads.map((_, i) => i))
    const failed = results.filter((r) => r.status === 'failed')
    expect(failed.map((r) => r.index)).toEqual([7, 27, 47, 67, 87])
    expect(failed[0]).toMatchObject({ error: { name: 'TaskInvokeError', code: 'INVOKE_FAILED' } })
    expect(server.requests).toHaveLength(100)
    expect(server.maxInFlight).toBeLessThanOrEqual(10)
    expect(server.maxInFlight).toBeGreaterThan(1)
  })

  it('batch honours its concurrency and reports invalid payloads in their place', async () => {
    server.respond(() => ({ status: 202, delayMs: 10 }))
    const results = await client.Task.orders!.processOrder!.batch([ORDER, { orderId: 1 }, ORDER, ORDER, ORDER], { concurrency: 2 })
    expect(results.map((r) => r.status)).toEqual(['accepted', 'failed', 'accepted', 'accepted', 'accepted'])
    expect(results[1]).toMatchObject({ status: 'failed', error: { code: 'INVALID_PAYLOAD' } })
    expect(server.maxInFlight).toBe(2)
  })

  it('batch validates ahead of its calls, in runs: across run boundaries each invalid payload fails in its place, as a single call would', async () => {
    const bad = new Set([0, 255, 256, 511, 599])
    const payloads = Array.from({ length: 600 }, (_, i) => (bad.has(i) ? { ...ORDER, orderId: i } : { ...ORDER, orderId: `order-${i}` }))
    const results = await client.Task.orders!.processOrder!.batch(payloads, { concurrency: 7 })
    expect(results.filter((r) => r.status === 'failed').map((r) => r.index)).toEqual([...bad])
    const single = await client.Task.orders!.processOrder!(payloads[256]).catch((e: unknown) => e)
    const failed = results[256] as { error: { code: string; message: string; issues: unknown } }
    expect(failed.error).toMatchObject({ code: 'INVALID_PAYLOAD', message: (single as Error).message, issues: (single as { issues: unknown }).issues })
    expect(server.requests).toHaveLength(595)
    server.requests.length = 0
    const unchecked = await client.Task.orders!.processOrder!.batch(payloads.slice(250, 260), { validate: false })
    expect(unchecked.every((r) => r.status === 'accepted')).toBe(true)
    expect(server.requests).toHaveLength(10)
  })

  it('decodes the failure records of its own tasks, for any stage', () => {
    const body = JSON.stringify({
      requestContext: { functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:shop-qa-1-orders-processOrder', condition: 'RetriesExhausted' },
      requestPayload: ORDER,
    })
    expect(client.decodeFailure(body)).toMatchObject({ ok: true, failure: { stack: 'orders', task: 'processOrder', payload: ORDER } })
    expect(client.decodeFailure('nope')).toEqual({ ok: false, reason: 'the message is not JSON', body: 'nope' })
  })

  it('exposes tasks as plain objects that are never mistaken for a Promise', () => {
    expect(Object.keys(client.Task)).toEqual(['orders', 'reports'])
    expect((client.Task as Record<string, unknown>).then).toBeUndefined()
    expect((client.Task.orders as Record<string, unknown>).then).toBeUndefined()
    expect(Object.isFrozen(client.Task)).toBe(true)
  })
})
