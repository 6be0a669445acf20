import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createTopicClient } from '../../runtime/client/index.js'
import { generateInRepo } from '../helpers/generated-shop.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { requireTerraform, runTerraform, writeTerraformCliConfig } from '../helpers/terraform.js'
import { writeTopicProject } from '../helpers/topic-project.js'

const ACCOUNT = '123456789012' // moto's default account
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:shop-dev-orderPlaced`
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }

describe('deploy of a topic with two subscribers against moto', () => {
  let moto: MotoServer
  let dir: string
  let env: Record<string, string>
  let deployed: CliResult

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    dir = tempDir('topics-deploy')
    writeTopicProject(dir)
    env = { ...moto.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(mkdtempSync(join(tmpdir(), 'tf-cli-'))) }
    deployed = await runBinAsync(['deploy', '--auto-approve'], { cwd: dir, env })
  }, 600_000)

  afterAll(async () => {
    await moto?.stop()
    removeTempDirs()
  })

  it('applies, the topics stack first', () => {
    expect(deployed.stderr).toBe('')
    expect(deployed.code).toBe(0)
    expect(deployed.stdout.indexOf('app-topics')).toBeLessThan(deployed.stdout.indexOf('shipping'))
  })

  it('validates, and a second plan of each stack reports no changes', async () => {
    for (const stack of ['app-topics', 'orders', 'shipping']) {
      const cwd = join(dir, 'cdktf.out/stacks', stack)
      const validate = await runTerraform(['validate', '-no-color'], { cwd, env })
      expect(validate.code, validate.stderr).toBe(0)
      const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd, env })
      expect(plan.code, `${stack}: ${plan.stdout}${plan.stderr}`).toBe(0)
    }
  }, 300_000)

  it("the topic has exactly its two subscribers' functions subscribed, and the generated client's Publish reaches it", async () => {
    const aws = { endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS }
    const sns = new SNSClient(aws)
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC_ARN }))
    expect(Subscriptions.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual([
      ['lambda', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-dev-orders-sendEmail`],
      ['lambda', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-dev-shipping-reserveStock`],
    ])
    // An observer queue of the test's own sees exactly what was published.
    const sqs = new SQSClient(aws)
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'observer' }))).QueueUrl!
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
    await sns.send(new SubscribeCommand({ TopicArn: TOPIC_ARN, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'true' } }))
    const generated = await generateInRepo(join(dir, 'task-gen.json'), 'topics-deploy')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, moto.env, { AWS_ACCOUNT_ID: ACCOUNT })
      delete process.env.TASK_GEN_STAGE
      const { Topic } = await generated.load<{ Topic: ReturnType<typeof createTopicClient> }>()
      const published = await Topic.orderPlaced!.publish({ orderId: 'o-1', total: 3 })
      expect(published).toMatchObject({ topicArn: TOPIC_ARN, messageId: expect.stringMatching(/.+/) })
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }))
      expect(Messages.map((m) => m.Body)).toEqual(['{"orderId":"o-1","total":3}'])
    } finally {
      process.env = saved
      generated.remove()
    }
  }, 120_000)

  it('destroy removes the stacks, the topic last', async () => {
    const destroyed = await runBinAsync(['destroy', '--auto-approve'], { cwd: dir, env })
    expect(destroyed.stderr).toBe('')
    expect(destroyed.code).toBe(0)
  }, 300_000)
})
