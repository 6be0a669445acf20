import { CreateScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configure, createTaskClient, type ClientManifest } from '../../runtime/client/index.js'
import { invokeTask } from '../../runtime/client/invoke.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }

const MANIFEST: ClientManifest = {
  app: 'shop',
  stage: 'dev',
  region: 'us-east-1',
  stacks: { s: { jobs: { payload: { type: 'unknown' }, queue: {}, delay: true, idempotency: true } } },
  defs: {},
}

/**
 * A queue task's calls delayed beyond SQS's DelaySeconds, against moto's SQS and Scheduler: the
 * schedules as the client creates them, with a Lambda client that fails every request, so that
 * nothing here may ask Lambda (the account comes from the queue's URL).
 */
describe("a queue task's delayed calls through Scheduler (moto)", () => {
  let moto: MotoServer
  let scheduler: SchedulerClient
  let account: string
  const saved = { ...process.env }
  const lambdaCalls: string[] = []

  const schedule = (name: string) => scheduler.send(new GetScheduleCommand({ Name: name, GroupName: 'shop-dev-s' }))

  beforeAll(async () => {
    moto = await startMoto()
    Object.assign(process.env, moto.env)
    delete process.env.TASK_GEN_STAGE
    const sqs = new SQSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-s-jobs-queue' }))
    account = new URL(QueueUrl!).pathname.split('/')[1]!
    scheduler = new SchedulerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS })
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'shop-dev-s' }))
    configure({
      client: {
        send: async (command: { constructor: { name: string } }) => {
          lambdaCalls.push(command.constructor.name)
          throw new Error('no Lambda here')
        },
      },
    })
  }, 60_000)

  afterAll(async () => {
    configure({})
    process.env = saved
    await moto?.stop()
  })

  it('targets the queue by the ARN its URL gives, with the message body as input; a call without payload sends {}', async () => {
    const accepted = await invokeTask({ manifest: MANIFEST, stack: 's', task: 'jobs' }, { id: 'a' }, { at: new Date(Date.now() + 2 * 86_400_000) })
    const created = await schedule(accepted.schedule!.arn.split('/').pop()!)
    expect(created.Target).toMatchObject({
      Arn: `arn:aws:sqs:us-east-1:${account}:shop-dev-s-jobs-queue`,
      RoleArn: `arn:aws:iam::${account}:role/shop-dev-s-jobs-schedule`,
      DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${account}:shop-dev-s-jobs-failures` },
      Input: '{"id":"a"}',
    })
    expect(created.ScheduleExpression).toBe(`at(${accepted.schedule!.at.toISOString().slice(0, 19)})`)
    const empty = await invokeTask({ manifest: MANIFEST, stack: 's', task: 'jobs' }, undefined, { delay: '1 hour' })
    expect((await schedule(empty.schedule!.arn.split('/').pop()!)).Target!.Input).toBe('{}')
    expect(lambdaCalls).toEqual([])
  })

  it("an idempotency key names the schedule: a second call with it is a duplicate, and Scheduler keeps the first call's", async () => {
    const first = await invokeTask({ manifest: MANIFEST, stack: 's', task: 'jobs' }, { id: 'k1' }, { delay: '1 hour', idempotencyKey: 'order-9' })
    const second = await invokeTask({ manifest: MANIFEST, stack: 's', task: 'jobs' }, { id: 'k2' }, { delay: '2 hours', idempotencyKey: 'order-9' })
    expect(first.duplicate).toBeUndefined()
    expect(second).toMatchObject({ duplicate: true, schedule: { arn: first.schedule!.arn } })
    expect(first.schedule!.arn).toMatch(/\/shop-dev-s\/key-[0-9a-f]{56}$/)
    const input = JSON.parse((await schedule(first.schedule!.arn.split('/').pop()!)).Target!.Input!)
    expect(input).toMatchObject({ idempotencyKey: 'order-9', payload: { id: 'k1' } })
    expect(lambdaCalls).toEqual([])
  })

  it('a batch delayed beyond 15 minutes is one schedule per payload, each result in its place', async () => {
    const { Task } = { Task: createTaskClient(MANIFEST) }
    const before = new Set(((await scheduler.send(new ListSchedulesCommand({ GroupName: 'shop-dev-s' }))).Schedules ?? []).map((s) => s.Name))
    const results = await Task.s!.jobs!.batch([{ id: 'b0' }, { id: 'b1' }, { id: 'b2' }], { delay: '1 day' })
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted'])
    const names = results.map((r) => (r.status === 'accepted' ? r.schedule!.arn.split('/').pop()! : ''))
    expect(new Set(names).size).toBe(3)
    for (const [i, name] of names.entries()) {
      expect(before.has(name)).toBe(false)
      expect((await schedule(name)).Target!.Input).toBe(`{"id":"b${i}"}`)
    }
    expect(lambdaCalls).toEqual([])
  })
})
