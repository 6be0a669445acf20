import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam'
import { ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import type { createTaskClient, createTopicClient } from '../../runtime/client/index.js'
import { awsClients } from '../helpers/aws.js'
import { lambdaFailureRecord } from '../helpers/failure-records.js'
import { generateInRepo } from '../helpers/generated-shop.js'
import { startLambdaServer } from '../helpers/lambda-server.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { localCommand, readmeCommand } from '../helpers/readme.js'
import { runAsync, runBin, runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { copyRepoExample } from '../helpers/shop.js'
import { requireTerraform, runTerraform, shownResources, TF_PLUGIN_MIRROR } from '../helpers/terraform.js'

const STACKS = ['on-failure', 'app-topics', 'orders', 'reports']
const ACCOUNT = '123456789012' // moto's default account
const TASKS = [
  { stack: 'orders', task: 'processOrder', memory: 256, timeout: 30, retries: 2, age: 21600, env: undefined },
  {
    stack: 'orders',
    task: 'sendReceipt',
    memory: 512,
    timeout: 120,
    retries: 2,
    age: 21600,
    env: { PAYMENT_API_KEY: 'your-api-key', TASK_GEN_IDEMPOTENCY_TABLE: 'shop-dev-orders-sendReceipt-idempotency' },
  },
  { stack: 'orders', task: 'reserveStock', memory: 256, timeout: 30, retries: 2, age: 21600, env: undefined },
  { stack: 'orders', task: 'notifyWarehouse', memory: 256, timeout: 30, retries: 2, age: 21600, env: undefined },
  { stack: 'reports', task: 'generateReport', memory: 1024, timeout: 300, retries: 1, age: 3600, env: undefined },
  { stack: 'reports', task: 'cleanupExports', memory: 256, timeout: 30, retries: 2, age: 21600, env: undefined },
  { stack: 'reports', task: 'recordSale', memory: 256, timeout: 30, retries: 2, age: 21600, env: undefined },
]

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }

describe("the README's task-gen deploy of the shop example, against moto", () => {
  let moto: MotoServer
  let root: string
  let shop: string
  let env: Record<string, string>
  let aws: ReturnType<typeof awsClients>
  let deployed: CliResult

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    const repo = copyRepoExample('deploy')
    root = repo.root
    shop = repo.shop
    // task-gen's own option finds the provider offline: the CLI config file named here does not exist.
    env = { ...moto.env, TASK_GEN_PROVIDER_MIRROR: TF_PLUGIN_MIRROR, TF_CLI_CONFIG_FILE: join(shop, 'no-such-terraform.rc') }
    aws = awsClients(moto)
    const command = localCommand(readmeCommand('npx task-gen deploy').command) // the README's, as written
    deployed = await runAsync(command.file, command.args, { cwd: repo.root, env: { ...env, ...command.env } })
  }, 600_000)

  afterAll(async () => {
    await moto?.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('deploys every stack in dependency order, showing progress', () => {
    expect(deployed.stderr).toBe('')
    expect(deployed.code).toBe(0)
    const lines = deployed.stdout.trim().split('\n')
    expect(lines.filter((l) => l.includes(': done in')).map((l) => l.split(':')[0])).toEqual([
      '[1/4] on-failure',
      '[2/4] app-topics',
      '[3/4] orders',
      '[4/4] reports',
    ])
    expect(lines.at(-1)).toBe('✓ deployed on-failure, app-topics, orders, reports (stage "dev")')
  })

  it('every stack validates, and a second plan reports no changes', async () => {
    for (const stack of STACKS) {
      const cwd = join(root, 'cdktf.out/stacks', stack) // the README's deploy ran in the repository's root
      const validate = await runTerraform(['validate', '-no-color'], { cwd, env })
      expect(validate.code, validate.stderr).toBe(0)
      const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd, env })
      expect(plan.code, `${stack}:\n${plan.stdout}${plan.stderr}`).toBe(0)
    }
  }, 180_000)

  it.each(TASKS)('$task ($stack) runs with its configured memory, timeout and environment', async ({ stack, task, memory, timeout, env: variables }) => {
    const config = await aws.functionConfiguration(`shop-dev-${stack}-${task}`)
    expect(config).toMatchObject({ MemorySize: memory, Timeout: timeout, Runtime: 'nodejs22.x', Handler: 'index.handler' })
    // The task wrapper's failure queue, beside the task's own variables.
    expect(config.Environment?.Variables).toEqual({
      ...variables,
      TASK_GEN_FAILURE_QUEUE_URL: expect.stringMatching(new RegExp(`/123456789012/shop-dev-${stack}-${task}-failures$`)),
    })
  })

  it.each(TASKS)('$task ($stack) has its retries, event age and an SQS failure destination that exists', async ({ stack, task, retries, age }) => {
    const invoke = await aws.eventInvokeConfig(`shop-dev-${stack}-${task}`)
    expect(invoke.MaximumRetryAttempts).toBe(retries)
    expect(invoke.MaximumEventAgeInSeconds).toBe(age)
    const destination = invoke.DestinationConfig?.OnFailure?.Destination
    expect(destination).toBe(`arn:aws:sqs:us-east-1:123456789012:shop-dev-${stack}-${task}-failures`)
    const url = await aws.queueUrl(destination!.split(':').at(-1)!)
    expect(await aws.queueAttributes(url!)).toMatchObject({ QueueArn: destination, SqsManagedSseEnabled: 'true', MessageRetentionPeriod: '1209600' })
  })

  it('the on-failure role may consume exactly the failure queues of this app and stage, named one by one', async () => {
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    const { AttachedPolicies = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'shop-dev-on-failure' }))
    expect(AttachedPolicies.map((p) => p.PolicyName)).toEqual(['shop-dev-on-failure-queues-1'])
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: AttachedPolicies[0]!.PolicyArn }))
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: Policy!.DefaultVersionId }))
    const document = JSON.parse(decodeURIComponent(PolicyVersion!.Document!)) as { Statement: { Action: string[]; Resource: string[] }[] }
    expect(document.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
        Resource: TASKS.map(({ stack, task }) => `arn:aws:sqs:us-east-1:123456789012:shop-dev-${stack}-${task}-failures`),
      },
    ])
  })

  it('records on a deployed failure queue are listed decoded; replay deletes nothing while Lambda fails, and all once it accepts', async () => {
    const queue = (await aws.queueUrl('shop-dev-orders-processOrder-failures'))!
    // Pause the on-failure consumer of this queue: moto hands each new record to it at once.
    const { EventSourceMappings = [] } = await aws.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'shop-dev-on-failure' }))
    const mapping = EventSourceMappings.find((m) => m.EventSourceArn?.endsWith(':shop-dev-orders-processOrder-failures'))
    expect(mapping, 'the on-failure handler consumes the processOrder failure queue').toBeDefined()
    await aws.lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping!.UUID, Enabled: false }))
    const orders = [
      { orderId: 'o-1', customerId: 'c', items: [] },
      { orderId: 'o-2', customerId: 'c', items: [] },
    ]
    for (const order of orders)
      await aws.sqs.send(
        new SendMessageCommand({ QueueUrl: queue, MessageBody: lambdaFailureRecord('shop-dev-orders-processOrder', order, `${order.orderId} failed`) }),
      )

    const listed = await runBinAsync(['failures', 'list', '--json', '--task', 'processOrder'], { cwd: shop, env })
    expect(listed.code, listed.stderr).toBe(0)
    expect((JSON.parse(listed.stdout) as { failure: { payload: unknown; condition: string } }[]).map((i) => [i.failure.condition, i.failure.payload])).toEqual(
      orders.map((o) => ['RetriesExhausted', o]),
    )

    const lambda = await startLambdaServer()
    try {
      const replay = () =>
        runBinAsync(['failures', 'replay', '--task', 'processOrder'], { cwd: shop, env: { ...env, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint } })
      lambda.respond(() => ({ status: 500 }))
      expect((await replay()).code).toBe(1)
      expect(await aws.messageCount(queue)).toBe(2)
      lambda.respond(() => ({ status: 202 }))
      const accepted = await replay()
      expect(accepted.stdout.trim().split('\n').at(-1)).toBe('replayed 2, failed 0, skipped 0')
      expect(await aws.messageCount(queue)).toBe(0)
    } finally {
      await lambda.close()
    }
  }, 120_000)

  it('the schedules, the queue-backed task and the topic exist as configured, and the generated client reaches the queue and the topic', async () => {
    const resources = await shownResources({ cwd: join(root, 'cdktf.out/stacks/reports'), env })
    const schedules = resources.filter((r) => r.type === 'aws_scheduler_schedule').map((r) => r.values)
    expect(schedules.map((s) => [s.name, s.group_name, s.schedule_expression, s.schedule_expression_timezone, s.target[0].arn]).sort()).toEqual([
      ['cleanupExports', 'shop-dev-reports', 'rate(1 day)', 'UTC', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-dev-reports-cleanupExports`],
      [
        'generateReport',
        'shop-dev-reports',
        'cron(0 3 * * ? *)',
        'Europe/Amsterdam',
        `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-dev-reports-generateReport`,
      ],
    ])
    const daily = schedules.find((s) => s.name === 'generateReport')!
    expect(JSON.parse(daily.target[0].input)).toEqual({ name: 'daily-sales', from: 'yesterday', to: 'today', filter: { region: 'eu' }, currency: 'EUR' })

    // The queue's mapping, paused so that the message the client sends stays to be read here.
    const { EventSourceMappings = [] } = await aws.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'shop-dev-orders-reserveStock' }))
    expect(EventSourceMappings.map((m) => [m.EventSourceArn, m.BatchSize, m.FunctionResponseTypes])).toEqual([
      [`arn:aws:sqs:us-east-1:${ACCOUNT}:shop-dev-orders-reserveStock-queue`, 10, ['ReportBatchItemFailures']],
    ])
    await aws.lambda.send(new UpdateEventSourceMappingCommand({ UUID: EventSourceMappings[0]!.UUID, Enabled: false }))
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:shop-dev-orderPlaced`
    const sns = new SNSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS })
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))
    expect(Subscriptions.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual([
      ['lambda', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-dev-orders-notifyWarehouse`],
      ['lambda', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-dev-reports-recordSale`],
    ])
    // An observer queue of the test's own sees exactly what is published.
    const observer = (await aws.sqs.send(new CreateQueueCommand({ QueueName: 'observer' }))).QueueUrl!
    const observerArn = (await aws.queueAttributes(observer)).QueueArn
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: observerArn, Attributes: { RawMessageDelivery: 'true' } }))

    const generated = await generateInRepo(join(shop, 'task-gen.json'), 'shop-deploy')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, moto.env, { AWS_ACCOUNT_ID: ACCOUNT })
      delete process.env.TASK_GEN_STAGE
      const { Task, Topic } = await generated.load<{ Task: ReturnType<typeof createTaskClient>; Topic: ReturnType<typeof createTopicClient> }>()
      const reservation = { orderId: 'o-9', items: [{ productId: 'p', quantity: 2 }] }
      expect(await Task.orders!.reserveStock!(reservation)).toMatchObject({ messageId: expect.stringMatching(/.+/) })
      const placed = { orderId: 'o-9', customerId: 'c-1', total: { amount: 1999, currency: 'EUR' } }
      expect(await Topic.orderPlaced!.publish(placed)).toMatchObject({ topicArn, messageId: expect.stringMatching(/.+/) })
      const queue = (await aws.queueUrl('shop-dev-orders-reserveStock-queue'))!
      const received = async (url: string) =>
        ((await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }))).Messages ?? []).map((m) =>
          JSON.parse(m.Body!),
        )
      expect(await received(queue)).toEqual([reservation])
      expect(await received(observer)).toEqual([placed])
    } finally {
      process.env = saved
      generated.remove()
      await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: observer }))
    }
  }, 120_000)

  it('destroy leaves nothing behind', () => {
    const destroyed = runBin(['destroy', '--auto-approve'], { cwd: shop, env })
    expect(destroyed.stderr).toBe('')
    expect(destroyed.code).toBe(0)
    expect(destroyed.stdout.trim().split('\n').at(-1)).toBe('✓ destroyed reports, orders, app-topics, on-failure (stage "dev")')
  }, 300_000)

  it('after destroy, no function or queue is left', async () => {
    expect(await aws.functionNames()).toEqual([])
    expect(await aws.queueUrls()).toEqual([])
  })
})
