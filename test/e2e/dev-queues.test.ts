import { GetQueueUrlCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, describe, expect, it } from 'vitest'
import { writeProject } from '../helpers/client-project.js'
import { localRecords, startDev, type DevProcess } from '../helpers/dev-process.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const running: DevProcess[] = []
afterAll(async () => {
  for (const dev of running) await dev.stop()
  removeTempDirs()
})

/** A queue-backed task whose handler fails on the orders marked `poison`, every time. */
function project(): string {
  const dir = tempDir('dev-queues')
  writeProject(
    dir,
    {
      app: 'shop',
      region: 'us-east-1',
      stacks: {
        orders: {
          tasks: {
            ship: {
              consumer: { code: './src/ship.ts', timeout: '1 second' },
              queue: { batchSize: 4, batchWindow: '1 second', maxReceives: 3, visibilityTimeout: '1 second' },
            },
          },
        },
      },
    },
    {
      'src/ship.ts': [
        'export default async function ship(order: { id: string; poison?: boolean }) {',
        '  console.log(JSON.stringify({ tried: order.id }))',
        '  if (order.poison) throw new Error(`cannot ship ${order.id}`)',
        '  console.log(JSON.stringify({ shipped: order.id }))',
        '}',
        '',
      ].join('\n'),
    },
  )
  return dir
}

function sqs(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'dev', secretAccessKey: 'dev' } })
}

describe('task queues in task-gen dev, reached with the AWS SDK itself', () => {
  it('delivers in batches: the messages that fail are received again up to maxReceives and leave one failure record each; the rest are done once', async () => {
    const dir = project()
    const server = await startDev(dir)
    running.push(server)
    await server.waitFor(/^It serves the 1 task queue\(s\) too: AWS_ENDPOINT_URL_SQS=/)
    const client = sqs(server.endpoint)
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'shop-dev-orders-ship-queue' }))
    expect(QueueUrl).toBe(`${server.endpoint}/000000000000/shop-dev-orders-ship-queue`)
    const orders = [{ id: 'o-1' }, { id: 'p-1', poison: true }, { id: 'o-2' }, { id: 'o-3' }, { id: 'p-2', poison: true }]
    // The SDK checks each answer's MD5 of the body: a wrong one would reject here.
    const batch = await client.send(
      new SendMessageBatchCommand({ QueueUrl, Entries: orders.slice(0, 4).map((order, i) => ({ Id: `m${i}`, MessageBody: JSON.stringify(order) })) }),
    )
    expect(batch.Failed ?? []).toEqual([])
    expect(batch.Successful?.map((s) => s.Id)).toEqual(['m0', 'm1', 'm2', 'm3'])
    const one = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(orders[4]) }))
    expect(one.MessageId).toMatch(/^[0-9a-f-]{36}$/)

    await expect.poll(() => localRecords(dir, 'shop-dev-orders-ship-failures').length, { timeout: 30_000 }).toBe(2)
    // Let any stray redelivery happen before counting.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const tries = (id: string) => server.lines.filter((l) => l === `orders.ship | {"tried":"${id}"}`).length
    expect(['o-1', 'o-2', 'o-3'].map(tries)).toEqual([1, 1, 1])
    expect(['p-1', 'p-2'].map(tries)).toEqual([3, 3])
    expect(['o-1', 'o-2', 'o-3'].map((id) => server.lines.filter((l) => l === `orders.ship | {"shipped":"${id}"}`).length)).toEqual([1, 1, 1])
    // The first four arrived together: one batch, up to its size.
    expect(server.lines.filter((l) => l.startsWith('orders.ship  attempt 1/3')).length).toBeLessThanOrEqual(2)

    const listed = await runBinAsync(['failures', 'list', '--local', '--json', '--task', 'ship'], { cwd: dir })
    expect(listed.code, listed.stderr).toBe(0)
    const failures = JSON.parse(listed.stdout) as {
      failure: { source: string; condition: string; payload: unknown; attempts: number; error: { message: string } }
    }[]
    expect(failures.map((f) => f.failure.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { id: 'p-1', poison: true },
      { id: 'p-2', poison: true },
    ])
    for (const { failure } of failures) {
      expect(failure).toMatchObject({ source: 'queue', condition: 'RetriesExhausted', error: { message: expect.stringMatching(/^cannot ship p-[12]$/) } })
    }
    expect(localRecords(dir, 'shop-dev-orders-ship-failures').every((r) => r.requestContext.condition === 'RetriesExhausted')).toBe(true)

    // The client's own path (task-gen invoke) sends a queue task's event to its queue in dev.
    const invoked = await runBinAsync(['invoke', 'orders.ship', '--local', '--payload', '{"id":"o-9"}'], { cwd: dir })
    expect(invoked, invoked.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^accepted: orders\.ship → message [0-9a-f-]{36} on its queue/) })
    await server.waitFor((l) => l === 'orders.ship | {"shipped":"o-9"}', { timeoutMs: 30_000 })

    // A replay sends each record's payload back through the queue: received maxReceives times again, and recorded again.
    const replayed = await runBinAsync(['failures', 'replay', '--local', '--task', 'ship'], { cwd: dir })
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(replayed.stdout).toMatch(/replayed 2\b/)
    await expect.poll(() => ['p-1', 'p-2'].map(tries), { timeout: 30_000 }).toEqual([6, 6])
    await expect.poll(() => localRecords(dir, 'shop-dev-orders-ship-failures').length, { timeout: 30_000 }).toBe(2)
  }, 150_000)

  it("answers SQS's errors as SQS does: an unknown queue, and a batch over ten entries", async () => {
    const dir = project()
    const server = await startDev(dir)
    running.push(server)
    const client = sqs(server.endpoint)
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'shop-dev-orders-other-queue' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' })
    const QueueUrl = `${server.endpoint}/000000000000/shop-dev-orders-ship-queue`
    const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: JSON.stringify({ id: `o-${i}` }) }))
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }))).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' })
    await expect(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_048_577) }))).rejects.toMatchObject({ name: 'InvalidParameterValue' })
  }, 60_000)
})
