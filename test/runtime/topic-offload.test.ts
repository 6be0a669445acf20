import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import { publishToTopic } from '../../runtime/client/publish.js'
import { openEvent } from '../../runtime/envelope.js'
import { wrapHandler } from '../../runtime/handler/wrap-handler.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'

const ITEMS = { type: 'object', properties: { items: { schema: { type: 'array', items: { type: 'string' } }, optional: false } } } as const
const manifest = (payloads?: ClientManifest['payloads']): ClientManifest => ({
  app: 'shop',
  stage: 'dev',
  region: 'us-east-1',
  stacks: {},
  topics: { catalogImported: { payload: ITEMS } },
  ...(payloads ? { payloads } : {}),
  defs: {},
})
const spec = { stack: 'catalog', task: 'index', payload: ITEMS, defs: {} }
const payloadOf = (bytes: number) => ({ items: Array.from({ length: Math.ceil(bytes / 1003) }, (_, i) => `${i}`.padEnd(1000, 'x')) })

describe('a topic payload over SNS’s 256 KiB (or the app’s threshold) is stored in S3 and published by reference (moto)', () => {
  let moto: MotoServer
  let sqs: SQSClient
  let queueUrl: string
  const saved = { ...process.env }

  beforeAll(async () => {
    moto = await startMoto()
    Object.assign(process.env, { ...moto.env, AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '123456789012' })
    delete process.env.TASK_GEN_STAGE
    const aws = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }
    await new S3Client({ ...aws, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'shop-dev-payloads' }))
    const sns = new SNSClient(aws)
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'shop-dev-catalogImported' }))
    sqs = new SQSClient(aws)
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'published' }))).QueueUrl!
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'true' } }))
  }, 60_000)

  afterAll(async () => {
    process.env = saved
    await moto?.stop()
  })

  async function published(): Promise<string> {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 1 }))
    expect(Messages).toHaveLength(1)
    return Messages[0]!.Body!
  }

  it("stores a 1 MB payload under the topic's prefix, publishes its reference, and a subscriber's wrapper reads it back whole", async () => {
    const payload = payloadOf(1_000_000)
    await publishToTopic({ manifest: manifest({ offloadAbove: 983_040, maxSize: 10_000_000 }), topic: 'catalogImported' }, payload)
    const message = await published()
    expect(message.length).toBeLessThan(1024)
    const opened = openEvent(JSON.parse(message))
    expect(opened.kind).toBe('envelope')
    const ref = opened.kind === 'envelope' ? opened.envelope.payloadRef! : undefined
    expect(ref).toMatchObject({ bucket: 'shop-dev-payloads', key: expect.stringMatching(/^shop\/dev\/-topics\/catalogImported\/[0-9a-f-]{36}\.json$/) })
    const object = await new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1' }).send(
      new GetObjectCommand({ Bucket: ref!.bucket, Key: ref!.key }),
    )
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(payload)

    const received: unknown[] = []
    const handler = wrapHandler(
      async (p: unknown) => void received.push(p),
      spec,
      async () => undefined,
    )
    const record = {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:shop-dev-catalogImported:s',
      Sns: {
        Type: 'Notification',
        MessageId: 'm-1',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:shop-dev-catalogImported',
        Subject: null,
        Message: message,
        Timestamp: '2026-12-04T10:00:00.000Z',
        MessageAttributes: {},
      },
    }
    await handler({ Records: [record] }, { awsRequestId: 'r-1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-catalog-index' })
    expect(received).toEqual([payload])
  }, 60_000)

  it('publishes a small payload inline; without "payloads" a payload over 256 KiB is refused before anything is sent', async () => {
    await publishToTopic({ manifest: manifest({ offloadAbove: 983_040, maxSize: 10_000_000 }), topic: 'catalogImported' }, payloadOf(2000))
    expect(JSON.parse(await published())).toEqual(payloadOf(2000))
    await expect(publishToTopic({ manifest: manifest(), topic: 'catalogImported' }, payloadOf(300_000))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('set "payloads" in task-gen.json'),
    })
    await expect(
      publishToTopic({ manifest: manifest({ offloadAbove: 1000, maxSize: 100_000 }), topic: 'catalogImported' }, payloadOf(200_000)),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('payloads.maxSize is 100000') })
  }, 60_000)
})
