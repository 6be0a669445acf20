import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLambdaServer, type LambdaTestServer } from '../helpers/lambda-server.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

const order = { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }], priority: 'high' }

describe('task-gen invoke sends one event as the client does, to a real HTTP server speaking the Lambda API', () => {
  let shop: string
  let lambda: LambdaTestServer
  const invoke = (args: string[]) =>
    runBinAsync(['invoke', ...args], {
      cwd: shop,
      env: {
        AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    })

  beforeAll(async () => {
    shop = copyShop('cli-invoke')
    lambda = await startLambdaServer()
  })

  afterAll(async () => {
    await lambda?.close()
    removeTempDirs()
  })

  it('a valid payload is an Event invoke of the stage’s function, with the payload as its body', async () => {
    lambda.requests.length = 0
    const result = await invoke(['orders.processOrder', '--payload', JSON.stringify(order)])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(lambda.requests.map((r) => [r.functionName, r.headers['x-amz-invocation-type'], JSON.parse(r.body)])).toEqual([
      ['shop-dev-orders-processOrder', 'Event', order],
    ])
    expect(result.stdout).toMatch(/^accepted: orders\.processOrder → request \S+ \(function shop-dev-orders-processOrder\)\n$/)
  }, 60_000)

  it('--payload @file reads the JSON from a file; --stage picks the function; --json prints the result', async () => {
    lambda.requests.length = 0
    writeFileSync(join(shop, 'order.json'), JSON.stringify(order))
    const result = await invoke(['orders.processOrder', '--payload', '@order.json', '--stage', 'prod', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(lambda.requests.map((r) => [r.functionName, JSON.parse(r.body)])).toEqual([['shop-prod-orders-processOrder', order]])
    expect(JSON.parse(result.stdout)).toMatchObject({ functionName: 'shop-prod-orders-processOrder', attempts: 1, requestId: expect.any(String) })
  }, 60_000)

  it('a task without a payload is invoked without --payload', async () => {
    lambda.requests.length = 0
    const result = await invoke(['reports.cleanupExports'])
    expect(result.code, result.stderr).toBe(0)
    expect(lambda.requests.map((r) => [r.functionName, r.body])).toEqual([['shop-dev-reports-cleanupExports', '']])
  }, 60_000)

  it('a payload that does not match the type is refused before anything is sent (exit 1), every problem named', async () => {
    lambda.requests.length = 0
    const result = await invoke(['orders.processOrder', '--payload', '{"orderId":1}'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Task orders.processOrder: the payload does not match its type; nothing was sent')
    expect(result.stderr).toContain('payload.orderId: expected string, got number 1')
    expect(result.stderr).toContain('payload.customerId: is required')
    expect(lambda.requests).toEqual([])
  }, 60_000)

  it("Lambda's refusal is the client's error (exit 1), not a crash", async () => {
    lambda.requests.length = 0
    lambda.respond(() => ({ status: 404 }))
    try {
      const result = await invoke(['orders.processOrder', '--payload', JSON.stringify(order)])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        /^task-gen: Task orders\.processOrder: no Lambda function named shop-dev-orders-processOrder \(stage "dev"\); is the stack deployed to this stage and region\?\n$/,
      )
      expect(result.stderr).not.toMatch(/internal error|at .*\.js:\d+/)
    } finally {
      lambda.respond(() => ({ status: 202 }))
    }
  }, 60_000)

  it.each([
    [['orders.procesOrder'], 'no task "orders.procesOrder"; did you mean "orders.processOrder"?'],
    [['processOrder'], '"processOrder": name the task as <stack>.<task>, e.g. orders.processOrder'],
    [[], 'expected one task, as <stack>.<task>, got none'],
    [['orders.processOrder', '--payload', '{bad'], '--payload: not JSON ('],
    [['orders.processOrder', '--payload', '@missing.json'], '--payload: cannot read missing.json: ENOENT'],
    [['orders.processOrder', '--local', '--delay', '1 minute'], '--delay with --local: `task-gen dev` does not run delayed calls yet'],
    [['orders.processOrder', '--local'], '--local invokes through `task-gen dev`, and it is not running for task-gen.json, stage "dev"'],
  ])(
    '%j is a usage error (exit 2) naming the problem, and sends nothing',
    async (args, message) => {
      lambda.requests.length = 0
      const result = await invoke(args)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`task-gen: ${message}`)
      expect(lambda.requests).toEqual([])
    },
    60_000,
  )
})
