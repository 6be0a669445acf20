import { CreateQueueCommand, DeleteMessageBatchCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { configure, createTaskClient } from '../../runtime/client/index.js'
import { generateInRepo, type GeneratedInRepo } from '../helpers/generated-shop.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { writeQueueProject } from '../helpers/queue-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

type QueueClient = { Task: ReturnType<typeof createTaskClient>; configure: typeof configure }

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }

/**
 * A queue task's calls against moto's SQS: the queues as the stacks name them, read back with
 * ReceiveMessage to see exactly what the client sent.
 */
describe('the generated client sending to a queue task (moto)', () => {
  let moto: MotoServer
  let generated: GeneratedInRepo
  let client: QueueClient
  let sqs: SQSClient
  const urls: Record<string, string> = {}
  const saved = { ...process.env }

  /** Every message on the queue so far, removed from it, with its message group. */
  async function received(queue: string) {
    const messages: { body: string; groupId?: string; delayed?: boolean }[] = []
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: urls[queue], MaxNumberOfMessages: 10, VisibilityTimeout: 600, MessageSystemAttributeNames: ['All'] }),
      )
      if (Messages.length === 0) return messages
      // Deleted as read: a FIFO group hands out its next messages only once those before are gone.
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: urls[queue], Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      )
      messages.push(...Messages.map((m) => ({ body: m.Body!, ...(m.Attributes?.MessageGroupId ? { groupId: m.Attributes.MessageGroupId } : {}) })))
    }
  }

  beforeAll(async () => {
    moto = await startMoto()
    generated = await generateInRepo(writeQueueProject(tempDir('client-queue')), 'client-queue')
    Object.assign(process.env, moto.env)
    delete process.env.TASK_GEN_STAGE
    sqs = new SQSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS })
    urls.process = (await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-work-process-queue' }))).QueueUrl!
    urls.ordered = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: 'shop-dev-work-ordered-queue.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }),
      )
    ).QueueUrl!
    client = await generated.load<QueueClient>()
  }, 60_000)

  afterAll(async () => {
    process.env = saved
    generated?.remove()
    await moto?.stop()
    removeTempDirs()
  })

  beforeEach(async () => {
    for (const url of Object.values(urls)) await sqs.send(new PurgeQueueCommand({ QueueUrl: url }))
  })

  it("sends the payload as one SQS message to the task's queue, and resolves with SQS's message id", async () => {
    const accepted = await client.Task.work!.process!({ id: 'j-1' })
    expect(accepted).toEqual({
      requestId: expect.any(String),
      functionName: 'shop-dev-work-process',
      attempts: 1,
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    })
    expect(await received('process')).toEqual([{ body: '{"id":"j-1"}' }])
  })

  it('sends a batch ten messages per SendMessageBatch: every payload arrives once, a bad one fails in its place', async () => {
    const payloads: unknown[] = Array.from({ length: 23 }, (_, i) => ({ id: `j-${i}` }))
    payloads[5] = { id: 5 }
    const results = await client.Task.work!.process!.batch(payloads)
    expect(results.map((r) => r.status)).toEqual(payloads.map((_, i) => (i === 5 ? 'failed' : 'accepted')))
    expect(results[5]).toMatchObject({ status: 'failed', index: 5, error: { code: 'INVALID_PAYLOAD' } })
    const ids = new Set(results.flatMap((r) => (r.status === 'accepted' ? [r.messageId] : [])))
    expect(ids.size).toBe(22)
    const bodies = (await received('process')).map((m) => m.body).sort()
    expect(bodies).toEqual(
      payloads
        .filter((_, i) => i !== 5)
        .map((p) => JSON.stringify(p))
        .sort(),
    )
  })

  it("delays a call by SQS's DelaySeconds: the delayed message is not received yet, the one sent beside it is", async () => {
    await client.Task.work!.process!({ id: 'later' }, { delay: '10 minutes' })
    await client.Task.work!.process!({ id: 'now' })
    expect(await received('process')).toEqual([{ body: '{"id":"now"}' }])
  })

  it('sends a FIFO task its message group; a batch keeps its order in the group', async () => {
    await client.Task.work!.ordered!({ n: 0 }, { groupId: 'g-1', deduplicationId: 'first' } as never)
    const results = await client.Task.work!.ordered!.batch(
      Array.from({ length: 12 }, (_, n) => ({ n: n + 1 })),
      { groupId: 'g-1' } as never,
    )
    expect(results.every((r) => r.status === 'accepted')).toBe(true)
    const messages = await received('ordered')
    expect(messages.map((m) => m.groupId)).toEqual(Array(13).fill('g-1'))
    expect(messages.map((m) => (JSON.parse(m.body) as { n: number }).n)).toEqual(Array.from({ length: 13 }, (_, n) => n))
  })

  it.each([
    ['a FIFO task without its group', 'ordered', {}, /its queue is FIFO: give groupId/],
    ['a standard queue task with a group', 'process', { groupId: 'g' }, /groupId and deduplicationId are for FIFO queues/],
    ['a delay past SQS DelaySeconds', 'process', { delay: '16 minutes' }, /at most 15 minutes; it asked for 96[01] seconds/],
    ['a delayed FIFO call', 'ordered', { groupId: 'g', delay: '1 minute' }, /a FIFO queue delays the whole queue/],
  ])('refuses %s before sending anything', async (_, task, options, message) => {
    const error = await client.Task.work![task]!({ id: 'x', n: 1 } as never, options as never).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TaskInvokeError', code: 'INVALID_OPTIONS', attempts: 0, message: expect.stringMatching(message) })
    expect(await received(task)).toEqual([])
  })

  it('refuses groupId for a task without a queue', async () => {
    const error = await client.Task.work!.plain!({ id: 'x' }, { groupId: 'g' } as never).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/groupId and deduplicationId are for tasks with a FIFO queue/) })
  })

  it('names the missing queue and stage when the stack is not deployed there', async () => {
    const error = await client.Task.work!.process!({ id: 'j' }, { stage: 'prod' }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'TaskInvokeError',
      code: 'QUEUE_NOT_FOUND',
      message: 'Task work.process: no SQS queue named shop-prod-work-process-queue (stage "prod"); is the stack deployed to this stage and region?',
    })
  })
})
