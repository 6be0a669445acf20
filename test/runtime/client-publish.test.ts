import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { configure, createTopicClient } from '../../runtime/client/index.js'
import { generateInRepo, type GeneratedInRepo } from '../helpers/generated-shop.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { writeTopicProject } from '../helpers/topic-project.js'

/** The topic app's client, typed by the runtime it bundles. */
type TopicClient = { Topic: ReturnType<typeof createTopicClient>; configure: typeof configure }

const ACCOUNT = '123456789012' // moto's default account
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:shop-dev-orderPlaced`
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }

/**
 * `Topic.<topic>.publish` against moto's SNS: the topic as the stacks name it, an SQS queue
 * subscribed with raw delivery to see exactly what was published.
 */
describe('the generated client publishing to a topic (moto)', () => {
  let moto: MotoServer
  let generated: GeneratedInRepo
  let client: TopicClient
  let sqs: SQSClient
  let queueUrl: string
  const saved = { ...process.env }

  /** Every message on the queue so far, in order, removed from it. */
  async function delivered(): Promise<string[]> {
    const bodies: string[] = []
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }))
      if (Messages.length === 0) return bodies
      bodies.push(...Messages.map((m) => m.Body!))
    }
  }

  beforeAll(async () => {
    moto = await startMoto()
    const configFile = writeTopicProject(tempDir('client-publish'))
    generated = await generateInRepo(configFile, 'client-publish')
    Object.assign(process.env, moto.env, { AWS_ACCOUNT_ID: ACCOUNT })
    delete process.env.TASK_GEN_STAGE
    const aws = { endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS }
    const sns = new SNSClient(aws)
    sqs = new SQSClient(aws)
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'shop-dev-orderPlaced' }))
    expect(TopicArn).toBe(TOPIC_ARN)
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'observer' }))).QueueUrl!
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'true' } }))
    client = await generated.load<TopicClient>()
  }, 60_000)

  afterAll(async () => {
    process.env = saved
    generated?.remove()
    await moto?.stop()
    removeTempDirs()
  })

  beforeEach(async () => {
    process.env.AWS_ACCOUNT_ID = ACCOUNT
    client.configure({ snsClient: undefined, accountId: undefined })
    await delivered()
  })

  it("publishes the payload as JSON to the derived topic ARN and resolves with SNS's message id", async () => {
    const published = await client.Topic.orderPlaced!.publish({ orderId: 'o-1', total: 12.5 })
    expect(published).toEqual({ messageId: expect.stringMatching(/.+/), topicArn: TOPIC_ARN, attempts: 1 })
    expect(await delivered()).toEqual(['{"orderId":"o-1","total":12.5}'])
  })

  it("refuses a payload that does not match the topic's type, with the path of each bad field; nothing is sent", async () => {
    const error = await client.Topic.orderPlaced!.publish({ orderId: 7 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TopicPublishError', code: 'INVALID_PAYLOAD', topicName: 'orderPlaced', attempts: 0 })
    expect((error as { issues: unknown }).issues).toEqual([
      { path: 'payload.orderId', message: 'expected string, got number 7' },
      { path: 'payload.total', message: 'is required' },
    ])
    expect((error as Error).message).toBe(
      'Topic orderPlaced: the payload does not match its type; nothing was sent\n  payload.orderId: expected string, got number 7\n  payload.total: is required',
    )
    expect(await delivered()).toEqual([])
  })

  it('sends a message of exactly 262,144 bytes (SNS accepts it) and refuses one byte more before sending', async () => {
    const frame = JSON.stringify({ orderId: '', total: 1 }).length
    const atLimit = { orderId: 'x'.repeat(262_144 - frame), total: 1 }
    await client.Topic.orderPlaced!.publish(atLimit)
    const error = await client.Topic.orderPlaced!.publish({ ...atLimit, orderId: `${atLimit.orderId}x` }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TopicPublishError', code: 'PAYLOAD_TOO_LARGE', attempts: 0 })
    expect((error as Error).message).toBe(
      'Topic orderPlaced: the payload is 262145 bytes serialized; SNS accepts at most 262144 for a message (set "payloads" in task-gen.json to store larger ones in S3); nothing was sent',
    )
    expect((await delivered()).map((body) => body.length)).toEqual([262_144])
  })

  it('names the topic ARN it looked for when the stage has no such topic', async () => {
    const error = await client.Topic.orderPlaced!.publish({ orderId: 'o-2', total: 1 }, { stage: 'prod' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'TopicPublishError', code: 'TOPIC_NOT_FOUND', topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:shop-prod-orderPlaced` })
    expect((error as Error).message).toContain("is the app's topics stack deployed to this stage, region and account?")
  })

  it('takes the account from configure, else AWS_ACCOUNT_ID, else the credentials; with none, it says how to give it and sends nothing', async () => {
    delete process.env.AWS_ACCOUNT_ID
    const unknown = await client.Topic.orderPlaced!.publish({ orderId: 'o-3', total: 1 }).catch((e: unknown) => e)
    expect(unknown).toMatchObject({ name: 'TopicPublishError', code: 'ACCOUNT_UNKNOWN', attempts: 0 })
    expect((unknown as Error).message).toBe(
      'Topic orderPlaced: its ARN names the AWS account, and none is known; set AWS_ACCOUNT_ID or call configure({ accountId }); nothing was sent',
    )

    client.configure({ accountId: ACCOUNT })
    await client.Topic.orderPlaced!.publish({ orderId: 'o-4', total: 1 })
    client.configure({
      accountId: undefined,
      snsClient: new SNSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { ...CREDENTIALS, accountId: ACCOUNT } }),
    })
    await client.Topic.orderPlaced!.publish({ orderId: 'o-5', total: 1 })
    expect((await delivered()).map((body) => JSON.parse(body).orderId)).toEqual(['o-4', 'o-5'])
  })

  it("has exactly the config's topics, frozen", () => {
    expect(Object.keys(client.Topic)).toEqual(['orderPlaced'])
    expect(Object.isFrozen(client.Topic) && Object.isFrozen(client.Topic.orderPlaced)).toBe(true)
  })
})
