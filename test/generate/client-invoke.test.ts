import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeDirectoryAtomically } from '../../generator/emit/write-directory.js'
import { buildClient } from '../../generator/generate.js'
import { startLambdaServer, type LambdaTestServer } from '../helpers/lambda-server.js'
import { REPO_ROOT } from '../helpers/run-cli.js'

type Client = {
  Task: Record<string, Record<string, (payload?: unknown, options?: Record<string, unknown>) => Promise<{ requestId: string; functionName: string }>>>
  Priority: Record<string, string>
}

const ORDER = { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }] }

describe('the generated client against a Lambda-API server on loopback', () => {
  let server: LambdaTestServer
  let client: Client
  let dir: string
  const saved = { ...process.env }

  beforeAll(async () => {
    server = await startLambdaServer()
    dir = mkdtempSync(join(tmpdir(), 'task-gen-invoke-'))
    cpSync(join(REPO_ROOT, 'examples/shop'), join(dir, 'shop'), { recursive: true, filter: (src) => !src.includes('/generated') })
    const generated = await buildClient({ configFile: join(dir, 'shop/task-gen.json'), out: join(REPO_ROOT, 'node_modules/.task-gen-test-client') })
    writeDirectoryAtomically(generated.outDir, generated.files)
    Object.assign(process.env, { AWS_ENDPOINT_URL_LAMBDA: server.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' })
    delete process.env.TASK_GEN_STAGE
    client = (await import(pathToFileURL(join(generated.outDir, 'index.js')).href)) as Client
  })

  afterAll(async () => {
    process.env = saved
    await server.close()
    rmSync(dir, { recursive: true, force: true })
    rmSync(join(REPO_ROOT, 'node_modules/.task-gen-test-client'), { recursive: true, force: true })
  })

  beforeEach(() => {
    server.requests.length = 0
    server.respond(() => ({ status: 202 }))
  })

  it('sends an Event invoke to the derived function name and resolves with the request id once accepted', async () => {
    const accepted = await client.Task.orders!.processOrder!({ ...ORDER, priority: client.Priority.High })
    expect(accepted).toEqual({ requestId: 'req-1', functionName: 'shop-dev-orders-processOrder' })
    const [request] = server.requests
    expect(request).toMatchObject({ method: 'POST', path: '/2015-03-31/functions/shop-dev-orders-processOrder/invocations' })
    expect(request!.headers['x-amz-invocation-type']).toBe('Event')
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-1\/lambda\/aws4_request/)
    expect(JSON.parse(request!.body)).toEqual({ ...ORDER, priority: 'high' })
  })

  it('refuses an invalid payload before sending anything', async () => {
    const error = await client.Task.orders!.processOrder!({ orderId: 123 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TaskInvokeError', code: 'INVALID_PAYLOAD', stackName: 'orders', taskName: 'processOrder', functionName: 'shop-dev-orders-processOrder' })
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

  it('rejects, naming the function and stage, when the function does not exist', async () => {
    server.respond(() => ({ status: 404, body: '{"Type":"User","message":"Function not found"}' }))
    const error = await client.Task.orders!.processOrder!(ORDER).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TaskInvokeError', code: 'FUNCTION_NOT_FOUND' })
    expect((error as Error).message).toBe('Task orders.processOrder: no Lambda function named shop-dev-orders-processOrder (stage "dev"); is the stack deployed to this stage and region?')
  })

  it('never resolves for an event that was not accepted', async () => {
    server.respond(() => ({ status: 200, body: 'null' }))
    await expect(client.Task.orders!.processOrder!(ORDER)).rejects.toMatchObject({ code: 'NOT_ACCEPTED' })
  })

  it('exposes tasks as plain objects that are never mistaken for a Promise', () => {
    expect(Object.keys(client.Task)).toEqual(['orders', 'reports'])
    expect((client.Task as Record<string, unknown>).then).toBeUndefined()
    expect((client.Task.orders as Record<string, unknown>).then).toBeUndefined()
    expect(Object.isFrozen(client.Task)).toBe(true)
  })
})
