import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { invokeTask } from '../../runtime/client/invoke.js'
import { writeProject } from '../helpers/client-project.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { requireTerraform, runTerraform, writeTerraformCliConfig } from '../helpers/terraform.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const CONFIG = {
  app: 'shop',
  region: 'us-east-1',
  stacks: {
    s: { tasks: { later: { consumer: './src/later.ts', delay: true }, now: './src/now.ts', jobs: { consumer: './src/now.ts', queue: {}, delay: true } } },
  },
}
const HANDLERS = { 'src/later.ts': 'export default async (p: { id: string }) => {}\n', 'src/now.ts': 'export default async (p: { id: string }) => {}\n' }
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }

describe('deploy of a stack with a delayed task against moto, and a delayed call', () => {
  let moto: MotoServer
  let dir: string
  let env: Record<string, string>
  let deployed: CliResult
  const saved = { ...process.env }
  const stackDir = () => join(dir, 'cdktf.out/stacks/s')

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    dir = tempDir('delay-deploy')
    writeProject(dir, CONFIG, HANDLERS)
    env = { ...moto.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(mkdtempSync(join(tmpdir(), 'tf-cli-'))) }
    deployed = await runBinAsync(['deploy', '--auto-approve'], { cwd: dir, env })
  }, 600_000)

  afterAll(async () => {
    process.env = saved
    await moto?.stop()
    removeTempDirs()
  })

  it('applies, and a second plan reports no changes', async () => {
    expect(deployed.stderr).toBe('')
    expect(deployed.code).toBe(0)
    const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd: stackDir(), env })
    expect(plan.code, `${plan.stdout}${plan.stderr}`).toBe(0)
  }, 300_000)

  it('a delayed call creates a one-time schedule with the task as target, its role and failure queue, at the right time', async () => {
    Object.assign(process.env, moto.env)
    const { extraction } = await loadAndExtract({ configFile: join(dir, 'task-gen.json') })
    const before = Date.now()
    const accepted = await invokeTask({ manifest: extraction.manifest, stack: 's', task: 'later' }, { id: '42' }, { delay: '10 minutes' })
    const name = accepted.schedule!.arn.split('/').pop()!
    const scheduler = new SchedulerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: 'shop-dev-s' }))
    const account = accepted.schedule!.arn.split(':')[4]
    expect(schedule).toMatchObject({
      ScheduleExpression: `at(${accepted.schedule!.at.toISOString().slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: `arn:aws:lambda:us-east-1:${account}:function:shop-dev-s-later`,
        RoleArn: `arn:aws:iam::${account}:role/shop-dev-s-later-schedule`,
        DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${account}:shop-dev-s-later-failures` },
      },
    })
    const at = accepted.schedule!.at.getTime()
    expect(at - before).toBeGreaterThanOrEqual(600_000)
    expect(at - Date.now()).toBeLessThanOrEqual(601_000)
    expect(JSON.parse(schedule.Target!.Input!)).toEqual({
      taskGenEnvelope: 1,
      sentAt: expect.any(String),
      deliverAt: accepted.schedule!.at.toISOString(),
      payload: { id: '42' },
    })
  }, 120_000)

  it("a queue task's delayed call of 1 hour creates a one-time schedule that sends the message body to the task's queue, with its role and failure queue", async () => {
    Object.assign(process.env, moto.env)
    const { extraction } = await loadAndExtract({ configFile: join(dir, 'task-gen.json') })
    const before = Date.now()
    const accepted = await invokeTask({ manifest: extraction.manifest, stack: 's', task: 'jobs' }, { id: '7' }, { delay: '1 hour' })
    expect(accepted.messageId).toBeUndefined()
    const scheduler = new SchedulerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS })
    const name = accepted.schedule!.arn.split('/').pop()!
    expect(accepted.schedule!.arn).toMatch(/^arn:aws:scheduler:us-east-1:\d{12}:schedule\/shop-dev-s\/delay-[0-9a-f-]{36}$/)
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: 'shop-dev-s' }))
    // The account the client read from the queue's URL is the queue's own.
    const sqs = new SQSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS })
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'shop-dev-s-jobs-queue' }))
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'] }),
    )
    const account = Attributes!.QueueArn!.split(':')[4]
    expect(schedule).toMatchObject({
      ScheduleExpression: `at(${accepted.schedule!.at.toISOString().slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: Attributes!.QueueArn,
        RoleArn: `arn:aws:iam::${account}:role/shop-dev-s-jobs-schedule`,
        DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${account}:shop-dev-s-jobs-failures` },
      },
    })
    expect(Attributes!.QueueArn).toBe(`arn:aws:sqs:us-east-1:${account}:shop-dev-s-jobs-queue`)
    const at = accepted.schedule!.at.getTime()
    expect(at - before).toBeGreaterThanOrEqual(3_600_000)
    expect(at - Date.now()).toBeLessThanOrEqual(3_601_000)
    // Exactly the body SendMessage would have carried: the payload, no envelope of a time.
    expect(schedule.Target!.Input).toBe('{"id":"7"}')
    // Nothing went to the queue itself: the schedule sends it in an hour.
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0' })
    // Up to 15 minutes a delay stays SQS's DelaySeconds: a delayed message, and no schedule.
    const schedulesBefore = (await scheduler.send(new ListSchedulesCommand({ GroupName: 'shop-dev-s' }))).Schedules!.length
    const short = await invokeTask({ manifest: extraction.manifest, stack: 's', task: 'jobs' }, { id: '8' }, { delay: '15 minutes' })
    expect(short).toMatchObject({ messageId: expect.any(String) })
    expect(short.schedule).toBeUndefined()
    expect((await scheduler.send(new ListSchedulesCommand({ GroupName: 'shop-dev-s' }))).Schedules!.length).toBe(schedulesBefore)
  }, 120_000)
})
