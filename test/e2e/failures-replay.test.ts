import { join } from 'node:path'
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { awsClients, messageCount } from '../helpers/aws.js'
import { lambdaFailureRecord } from '../helpers/failure-records.js'
import { startLambdaServer, type LambdaTestServer } from '../helpers/lambda-server.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

const ORDERS = [
  { orderId: '1', customerId: 'c1', items: [] },
  { orderId: '2', customerId: 'c2', items: [] },
]

describe('task-gen failures replay: SQS on moto, Lambda at a loopback endpoint', () => {
  let moto: MotoServer
  let lambda: LambdaTestServer
  let shop: string
  let sqs: SQSClient
  let orders: string
  let receipts: string

  beforeAll(async () => {
    ;[moto, lambda] = await Promise.all([startMoto(), startLambdaServer()])
    shop = copyShop('replay')
    sqs = awsClients(moto).sqs
    orders = (await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-orders-processOrder-failures' }))).QueueUrl!
    receipts = (await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-orders-sendReceipt-failures' }))).QueueUrl!
    for (const order of ORDERS)
      await sqs.send(
        new SendMessageCommand({ QueueUrl: orders, MessageBody: lambdaFailureRecord('shop-dev-orders-processOrder', order, `order ${order.orderId} failed`) }),
      )
    // Two that replay cannot send: one it cannot read, one whose payload no longer matches the type.
    await sqs.send(new SendMessageCommand({ QueueUrl: receipts, MessageBody: 'not a record' }))
    await sqs.send(
      new SendMessageCommand({ QueueUrl: receipts, MessageBody: lambdaFailureRecord('shop-dev-orders-sendReceipt', { orderId: 7 }, 'bad receipt') }),
    )
  }, 60_000)

  beforeEach(() => {
    lambda.requests.length = 0
  })

  afterAll(async () => {
    await Promise.all([moto?.stop(), lambda?.close()])
    removeTempDirs()
  })

  // Moto stands in for SQS; Lambda invokes go to the loopback server, which answers as told.
  const replay = (...args: string[]) =>
    runBinAsync(['failures', 'replay', '--config', join(shop, 'task-gen.json'), '--stack', 'orders', ...args], {
      cwd: shop,
      env: { ...moto.env, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint },
    })

  it('--dry-run sends and deletes nothing', async () => {
    const result = await replay('--dry-run')
    expect(result.code, result.stderr).toBe(0)
    expect(lambda.requests).toEqual([])
    expect(result.stdout).toContain('· would replay  orders.processOrder {"orderId":"1","customerId":"c1","items":[]}')
    expect(result.stdout.trim().split('\n').at(-1)).toBe('dry run: would replay 2, would skip 2; nothing was sent or deleted')
    expect([await messageCount(sqs, orders), await messageCount(sqs, receipts)]).toEqual([2, 2])
  })

  it('against an endpoint that answers 500, every record stays, each failure is shown, and it exits 1', async () => {
    lambda.respond(() => ({ status: 500 }))
    const result = await replay()
    expect(result.code).toBe(1)
    expect(
      result.stdout.match(
        /^✗ failed {2}orders\.processOrder .*: Task orders\.processOrder: invoking shop-dev-orders-processOrder failed after 3 attempt\(s\).*; the record stays on the queue$/gm,
      ),
    ).toHaveLength(2)
    expect(result.stdout.trim().split('\n').at(-1)).toBe('replayed 0, failed 2, skipped 2')
    expect(lambda.requests).toHaveLength(6) // 2 records × 3 attempts
    expect([await messageCount(sqs, orders), await messageCount(sqs, receipts)]).toEqual([2, 2])
  })

  it('against an endpoint that answers 202, each payload is sent once as an Event and its record deleted; the unsendable stay', async () => {
    lambda.respond(() => ({ status: 202 }))
    const result = await replay()
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.match(/^✓ replayed {2}orders\.processOrder .* → request req-\d+$/gm)).toHaveLength(2)
    expect(result.stdout).toMatch(
      /^- skipped {2}shop-dev-orders-sendReceipt-failures {2}message .*: cannot be decoded: the message is not JSON; the record stays on the queue$/m,
    )
    expect(result.stdout).toMatch(
      /^- skipped {2}orders\.sendReceipt \{"orderId":7\} {2}message .*: Task orders\.sendReceipt: the payload does not match its type; nothing was sent/m,
    )
    expect(result.stdout.trim().split('\n').at(-1)).toBe('replayed 2, failed 0, skipped 2')
    expect(lambda.requests.map((r) => [r.functionName, r.headers['x-amz-invocation-type'], JSON.parse(r.body)]).sort()).toEqual(
      ORDERS.map((o) => ['shop-dev-orders-processOrder', 'Event', o]),
    )
    expect([await messageCount(sqs, orders), await messageCount(sqs, receipts)]).toEqual([0, 2])
  })

  it('a second replay finds nothing more to send', async () => {
    const result = await replay('--task', 'processOrder')
    expect(result.code).toBe(0)
    expect(lambda.requests).toEqual([])
    expect(result.stdout).toBe('replayed 0, failed 0, skipped 0\n')
  })

  it("--dead-letter lists and replays the on-failure handler's dead-letter queue, filtered per record", async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-on-failure-dlq' }))).QueueUrl!
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: lambdaFailureRecord('shop-dev-orders-processOrder', ORDERS[0], 'dead 1') }))
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: lambdaFailureRecord('shop-dev-reports-cleanupExports', undefined, 'dead 2') }))
    const env = { ...moto.env, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint }
    const config = ['--config', join(shop, 'task-gen.json')]
    const listed = await runBinAsync(['failures', 'list', '--dead-letter', '--json', '--task', 'processOrder', ...config], { cwd: shop, env })
    expect(listed.code, listed.stderr).toBe(0)
    expect(
      (JSON.parse(listed.stdout) as { failure: { task: string; payload: unknown }; queue: string }[]).map((i) => [i.queue, i.failure.task, i.failure.payload]),
    ).toEqual([['shop-dev-on-failure-dlq', 'processOrder', ORDERS[0]]])
    lambda.respond(() => ({ status: 202 }))
    const replayed = await runBinAsync(['failures', 'replay', '--dead-letter', '--task', 'processOrder', ...config], { cwd: shop, env })
    expect(replayed.stdout.trim().split('\n').at(-1)).toBe('replayed 1, failed 0, skipped 0')
    expect(lambda.requests.map((r) => r.functionName)).toEqual(['shop-dev-orders-processOrder'])
    expect(await messageCount(sqs, dlq)).toBe(1)
  })
})
