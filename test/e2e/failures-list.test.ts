import { join } from 'node:path'
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awsClients } from '../helpers/aws.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'
import { nodeTrace, lambdaFailureRecord as record } from '../helpers/failure-records.js'

describe('task-gen failures list against moto', () => {
  let moto: MotoServer
  let shop: string
  let env: Record<string, string>

  beforeAll(async () => {
    moto = await startMoto()
    env = moto.env
    shop = copyShop('failures')
    const { sqs } = awsClients(moto)
    // The queues as the orders stack names them; reports is "not deployed".
    const process = (await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-orders-processOrder-failures' }))).QueueUrl!
    await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-orders-sendReceipt-failures' }))
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: process,
        MessageBody: record('shop-dev-orders-processOrder', { orderId: '1', customerId: 'c', items: [] }, 'order 1 has no items'),
      }),
    )
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: process,
        MessageBody: record('shop-dev-orders-processOrder', { orderId: '2', customerId: 'c', items: [] }, 'order 2 has no items'),
      }),
    )
    await sqs.send(new SendMessageCommand({ QueueUrl: process, MessageBody: 'not a record' }))
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
    removeTempDirs()
  })

  const list = (...args: string[]) => runBinAsync(['failures', 'list', '--config', join(shop, 'task-gen.json'), ...args], { cwd: shop, env })

  it('--json shows every record decoded, and an undecodable one with its reason, without consuming them', async () => {
    for (let round = 0; round < 2; round++) {
      const result = await list('--json', '--stack', 'orders')
      expect(result.code, result.stderr).toBe(0)
      const items = JSON.parse(result.stdout) as {
        ok: boolean
        failure?: { task: string; payload: { orderId: string }; error: { message: string; stack: string } }
        reason?: string
        queue: string
      }[]
      expect(items).toHaveLength(3)
      expect(
        items
          .filter((i) => i.ok)
          .map((i) => [i.failure!.task, i.failure!.payload.orderId, i.failure!.error.message])
          .sort(),
      ).toEqual([
        ['processOrder', '1', 'order 1 has no items'],
        ['processOrder', '2', 'order 2 has no items'],
      ])
      // The stack of a record in the Node.js runtime's shape (`trace`), line by line as the runtime wrote it.
      const first = items.find((i) => i.failure?.payload.orderId === '1')!
      expect(first.failure!.error).toEqual({ type: 'Error', message: 'order 1 has no items', stack: nodeTrace('order 1 has no items').join('\n') })
      expect(items.filter((i) => !i.ok)).toEqual([
        expect.objectContaining({ ok: false, reason: 'the message is not JSON', queue: 'shop-dev-orders-processOrder-failures' }),
      ])
    }
  })

  it('prints one line per record, filters by task, honours --limit and notes queues that do not exist', async () => {
    const all = await list()
    expect(all.code).toBe(0)
    expect(all.stdout).toContain(
      '2026-11-28T10:00:00.000Z  orders.processOrder  RetriesExhausted  Error: order 1 has no items  payload {"orderId":"1","customerId":"c","items":[]}',
    )
    expect(all.stderr).toContain(
      'note: the failure queue shop-dev-reports-generateReport-failures does not exist (not deployed to stage "dev" in this region?)',
    )
    expect((await list('--task', 'sendReceipt')).stdout).toBe('no failures\n')
    expect(JSON.parse((await list('--json', '--limit', '1')).stdout)).toHaveLength(1)
    expect((await list('--limit', '0')).code).toBe(2)
  })
})
