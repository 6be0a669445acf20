import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { atExpression, deliveryTime } from '../../runtime/client/delay.js'
import { queueTargetOf } from '../../runtime/client/delayed-call.js'
import { invokeTask, prepareInvoke } from '../../runtime/client/invoke.js'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import { generateInto, typeCheckConsumer, writeProject, type ClientProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

const NOW = new Date('2026-12-02T10:00:00.000Z')

describe("a call's delay", () => {
  it("a duration in the config's syntax, or a time, gives when it runs, rounded up to the second", () => {
    expect(deliveryTime({ delay: '10 minutes' }, NOW)).toEqual({ ok: true, at: new Date('2026-12-02T10:10:00.000Z') })
    expect(deliveryTime({ delay: '1 day' }, NOW)).toEqual({ ok: true, at: new Date('2026-12-03T10:00:00.000Z') })
    expect(deliveryTime({ at: new Date('2026-12-02T10:00:30.250Z') }, NOW)).toEqual({ ok: true, at: new Date('2026-12-02T10:00:31.000Z') })
    expect(deliveryTime({}, NOW)).toEqual({ ok: true, at: undefined })
    expect(atExpression(new Date('2026-12-02T10:10:00.000Z'))).toBe('at(2026-12-02T10:10:00)')
  })

  it('refuses a past time, more than a year, both options, a malformed duration and an invalid Date, each with its reason', () => {
    const refused = (options: Record<string, unknown>) => {
      const result = deliveryTime(options, NOW)
      return result.ok ? 'accepted' : result.message
    }
    expect(refused({ at: new Date('2026-12-02T09:59:59.000Z') })).toMatch(/not in the future/)
    expect(refused({ at: NOW })).toMatch(/not in the future/)
    expect(refused({ delay: '366 days' })).toMatch(/at most a year/)
    expect(refused({ at: new Date('2027-12-03T10:00:00.000Z') })).toMatch(/at most a year/)
    expect(deliveryTime({ delay: '365 days' }, NOW).ok).toBe(true)
    expect(refused({ delay: '1 minute', at: new Date('2027-01-01') })).toMatch(/not both/)
    expect(refused({ delay: '10 mins' })).toMatch(/delay must be a duration like "10 minutes"/)
    expect(refused({ delay: 600 })).toMatch(/got 600/)
    expect(refused({ delay: '0 seconds' })).toMatch(/at least 1/)
    expect(refused({ at: new Date('nonsense') })).toMatch(/valid Date/)
    expect(refused({ at: '2027-01-01T00:00:00Z' })).toMatch(/valid Date/)
  })

  it('the client refuses a bad delay, and a delay for a task without "delay", before sending anything', async () => {
    const manifest: ClientManifest = {
      app: 'shop',
      stage: 'dev',
      region: 'us-east-1',
      stacks: { s: { later: { payload: { type: 'unknown' }, delay: true }, now: { payload: { type: 'unknown' } } } },
      defs: {},
    }
    // No client: anything that reached the network would fail with another code.
    await expect(invokeTask({ manifest, stack: 's', task: 'later' }, 1, { delay: '2 years' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      attempts: 0,
      message: expect.stringContaining('nothing was sent'),
    })
    await expect(invokeTask({ manifest, stack: 's', task: 'now' }, 1, { delay: '1 minute' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('set "delay": true on the task'),
    })
  })
})

describe('a task with "delay": true', () => {
  let project: ClientProject
  let stack: { resource: Record<string, Record<string, Record<string, any>>>; output: Record<string, { value: string }> }

  beforeAll(async () => {
    const root = tempDir('delay')
    const config = writeProject(
      `${root}/project`,
      {
        app: 'shop',
        region: 'us-east-1',
        stacks: { s: { tasks: { later: { consumer: './src/later.ts', delay: true }, now: './src/now.ts' } } },
      },
      { 'src/later.ts': 'export default async (p: { id: string }) => {}\n', 'src/now.ts': 'export default async (p: { id: string }) => {}\n' },
    )
    project = await generateInto(root, config)
    const { model, extraction } = await loadAndExtract({ configFile: config })
    const result = await synthesize(model, extraction, join(root, 'cdktf.out'))
    stack = JSON.parse(readFileSync(join(result.stacks[0]!.dir, 'cdk.tf.json'), 'utf8'))
  }, 120_000)

  it('types its options: a duration or a Date; a wrong delay type, both options, or a delay of another task does not compile', () => {
    const source = [
      "import { Task } from 'client'",
      "export const a = () => Task.s.later({ id: '1' }, { delay: '10 minutes' })",
      "export const b = () => Task.s.later({ id: '1' }, { at: new Date(Date.now() + 60_000) })",
      "export const c = () => Task.s.later.batch([{ id: '1' }], { delay: '2 hours', concurrency: 2 })",
      '// @ts-expect-error a number is not a duration',
      "export const d = () => Task.s.later({ id: '1' }, { delay: 600 })",
      "// @ts-expect-error not the config's units",
      "export const e = () => Task.s.later({ id: '1' }, { delay: '10 mins' })",
      '// @ts-expect-error at is a Date, not a string',
      "export const f = () => Task.s.later({ id: '1' }, { at: '2030-01-01' })",
      '// @ts-expect-error delay or at, not both',
      "export const g = () => Task.s.later({ id: '1' }, { delay: '1 minute', at: new Date() })",
      '// @ts-expect-error the task has no "delay"',
      "export const h = () => Task.s.now({ id: '1' }, { delay: '1 minute' })",
    ].join('\n')
    expect(typeCheckConsumer(project, source)).toEqual({ code: 0, output: '' })
  })

  it('the client depends on the Scheduler SDK, and its manifest marks the task', () => {
    const pkg = JSON.parse(project.files.get('package.json')!)
    expect(Object.keys(pkg.dependencies)).toEqual(['@aws-sdk/client-lambda', '@aws-sdk/client-sns', '@aws-sdk/client-scheduler'])
  })

  it("synth: the stack's schedule group and a schedule role for the delayed task only, which may invoke exactly its function and send to its failure queue", () => {
    expect(Object.values(stack.resource.aws_scheduler_schedule_group!).map((g) => g.name)).toEqual(['shop-dev-s'])
    expect(
      Object.values(stack.resource.aws_iam_role!)
        .map((r) => r.name)
        .filter((n: string) => n.endsWith('-schedule')),
    ).toEqual(['shop-dev-s-later-schedule'])
    const policy = JSON.parse(stack.resource.aws_iam_role_policy!.later_schedule_policy!.policy)
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: '${aws_lambda_function.later_function.arn}' },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '${aws_sqs_queue.later_failures.arn}' },
    ])
    expect(stack.resource.aws_scheduler_schedule).toBeUndefined()
  })

  it("synth: invoke_policy grows CreateSchedule on the group's schedules, PassRole on exactly that role, and the function's configuration", () => {
    const policy = JSON.parse(stack.output.invoke_policy!.value)
    const account = '${data.aws_caller_identity.account.account_id}'
    expect(policy.Statement.slice(1)).toEqual([
      { Effect: 'Allow', Action: ['scheduler:CreateSchedule'], Resource: `arn:aws:scheduler:us-east-1:${account}:schedule/shop-dev-s/*` },
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${account}:role/shop-dev-s-later-schedule`],
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
      { Effect: 'Allow', Action: ['lambda:GetFunctionConfiguration'], Resource: ['${aws_lambda_function.later_function.arn}'] },
    ])
  })
})

describe("a queue task's delayed call", () => {
  const manifest: ClientManifest = {
    app: 'shop',
    stage: 'dev',
    region: 'us-east-1',
    stacks: {
      s: {
        jobs: { payload: { type: 'unknown' }, queue: {}, delay: true, idempotency: true },
        capped: { payload: { type: 'unknown' }, queue: {} },
        ordered: { payload: { type: 'unknown' }, queue: { fifo: true }, delay: true },
      },
    },
    defs: {},
  }
  const target = (task: string) => ({ manifest, stack: 's', task })

  it('up to 15 minutes is SQS DelaySeconds, with no schedule; beyond, with "delay", a schedule that sends the same message body', () => {
    const short = prepareInvoke(target('jobs'), { id: '1' }, { delay: '15 minutes' })
    expect(short.queue).toEqual({ name: 'shop-dev-s-jobs-queue', fifo: false, delaySeconds: 900 })
    expect(short.deliverAt).toBeUndefined()
    expect(short.scheduleName).toBeUndefined()
    const before = Date.now()
    const long = prepareInvoke(target('jobs'), { id: '1' }, { delay: '16 minutes' })
    expect(long.queue).toEqual({ name: 'shop-dev-s-jobs-queue', fifo: false, scheduled: true })
    expect(long.deliverAt!.getTime() - before).toBeGreaterThanOrEqual(960_000)
    expect(long.deliverAt!.getTime() - before).toBeLessThanOrEqual(961_000)
    // Exactly the message body a call without delay sends: no deliverAt of its own.
    expect(new TextDecoder().decode(long.body)).toBe('{"id":"1"}')
    expect(long.body).toEqual(prepareInvoke(target('jobs'), { id: '1' }, {}).body)
    const year = prepareInvoke(target('jobs'), { id: '1' }, { at: new Date(Date.now() + 364 * 86_400_000) })
    expect(year.queue?.scheduled).toBe(true)
  })

  it('an idempotency key names its schedule, as for a function task; a DelaySeconds message has none', () => {
    const long = prepareInvoke(target('jobs'), { id: '1' }, { delay: '1 hour', idempotencyKey: 'order-7' })
    expect(long.scheduleName).toMatch(/^key-[0-9a-f]{56}$/)
    expect(prepareInvoke(target('jobs'), { id: '1' }, { delay: '2 hours', idempotencyKey: 'order-7' }).scheduleName).toBe(long.scheduleName)
    expect(JSON.parse(new TextDecoder().decode(long.body))).toEqual({
      taskGenEnvelope: 1,
      sentAt: expect.any(String),
      idempotencyKey: 'order-7',
      payload: { id: '1' },
    })
    expect(prepareInvoke(target('jobs'), { id: '1' }, { delay: '1 minute', idempotencyKey: 'order-7' }).scheduleName).toBeUndefined()
  })

  it('refuses a delay beyond 15 minutes without "delay", saying to set it, and any delay of a FIFO task; nothing is sent', async () => {
    expect(prepareInvoke(target('capped'), 1, { delay: '15 minutes' }).queue?.delaySeconds).toBe(900)
    for (const [task, options, message] of [
      ['capped', { delay: '16 minutes' }, /at most 15 minutes; it asked for 96[01] seconds; set "delay": true on the task in the config and deploy/],
      ['capped', { delay: '1 day' }, /set "delay": true/],
      ['ordered', { delay: '1 hour', groupId: 'g' }, /a FIFO queue delays the whole queue/],
    ] as const) {
      await expect(invokeTask(target(task), 1, options as never)).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        attempts: 0,
        message: expect.stringMatching(message),
      })
    }
  })

  it("its schedule's target is the queue's ARN, read from the queue's URL: the account from its path, region and partition from SQS's host", () => {
    expect(queueTargetOf('https://sqs.eu-west-1.amazonaws.com/123456789012/shop-dev-s-jobs-queue', 'shop-dev-s-jobs-queue', 'us-east-1')).toEqual({
      arn: 'arn:aws:sqs:eu-west-1:123456789012:shop-dev-s-jobs-queue',
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
    })
    expect(queueTargetOf('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q', 'q', 'us-east-1').arn).toBe('arn:aws-cn:sqs:cn-north-1:123456789012:q')
    expect(queueTargetOf('https://sqs.us-gov-west-1.amazonaws.com/123456789012/q', 'q', 'us-east-1').arn).toBe(
      'arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q',
    )
    // moto, task-gen dev: the host names no region, the client's is taken.
    expect(queueTargetOf('http://127.0.0.1:3013/000000000000/q', 'q', 'eu-central-1').arn).toBe('arn:aws:sqs:eu-central-1:000000000000:q')
    expect(() => queueTargetOf('http://127.0.0.1:3013/q', 'q', 'us-east-1')).toThrow(/names no account/)
  })

  it("refuses a scheduled message over a schedule input's 256 KB, and keeps a payload the app would offload whole in the input", async () => {
    const big = 'x'.repeat(300_000)
    await expect(invokeTask(target('jobs'), big, { delay: '1 hour' })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining("a schedule's input holds at most 262144"),
    })
    const offloading = { ...manifest, payloads: { bucket: 'b', offloadAbove: 1000, maxSize: 10_000_000 } } as ClientManifest
    const request = prepareInvoke({ manifest: offloading, stack: 's', task: 'jobs' }, 'y'.repeat(2000), { delay: '1 hour' })
    expect(request.offload).toBe(false)
    expect(prepareInvoke({ manifest: offloading, stack: 's', task: 'jobs' }, 'y'.repeat(2000), { delay: '1 minute' }).offload).toBe(true)
  })

  it("a delayed call of a function task is never offloaded: its schedule's input is the whole envelope, key and time included", () => {
    const offloading: ClientManifest = {
      app: 'shop',
      stage: 'dev',
      region: 'us-east-1',
      stacks: { s: { later: { payload: { type: 'unknown' }, delay: true, idempotency: true } } },
      payloads: { offloadAbove: 1000, maxSize: 10_000_000 },
      defs: {},
    }
    const request = prepareInvoke({ manifest: offloading, stack: 's', task: 'later' }, 'y'.repeat(2000), { delay: '1 hour', idempotencyKey: 'k' })
    expect(request.offload).toBe(false)
    expect(JSON.parse(new TextDecoder().decode(request.body))).toMatchObject({
      taskGenEnvelope: 1,
      payload: 'y'.repeat(2000),
      idempotencyKey: 'k',
      deliverAt: request.deliverAt!.toISOString(),
    })
    expect(prepareInvoke({ manifest: offloading, stack: 's', task: 'later' }, 'y'.repeat(2000), {}).offload).toBe(true)
  })
})

describe('a queue task with "delay": true, synthesized', () => {
  let stack: { resource: Record<string, Record<string, Record<string, any>>>; output: Record<string, { value: string }> }

  beforeAll(async () => {
    const root = tempDir('queue-delay')
    const config = writeProject(
      `${root}/project`,
      {
        app: 'shop',
        region: 'us-east-1',
        stacks: {
          s: {
            tasks: {
              jobs: { consumer: './src/jobs.ts', queue: {}, delay: true },
              cronJobs: { consumer: './src/jobs.ts', queue: {}, delay: true, schedule: { rate: '1 hour', payload: { id: 'hourly' } } },
              now: './src/jobs.ts',
            },
          },
        },
      },
      { 'src/jobs.ts': 'export default async (p: { id: string }) => {}\n' },
    )
    const { model, extraction } = await loadAndExtract({ configFile: config })
    const result = await synthesize(model, extraction, join(root, 'cdktf.out'))
    stack = JSON.parse(readFileSync(join(result.stacks[0]!.dir, 'cdk.tf.json'), 'utf8'))
  }, 120_000)

  it('its schedule role may send to exactly its queue and its failure queue, not invoke its function; with cron schedules it may invoke too', () => {
    expect(JSON.parse(stack.resource.aws_iam_role_policy!.jobs_schedule_policy!.policy).Statement).toEqual([
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '${aws_sqs_queue.jobs_queue.arn}' },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '${aws_sqs_queue.jobs_failures.arn}' },
    ])
    expect(JSON.parse(stack.resource.aws_iam_role_policy!.cronJobs_schedule_policy!.policy).Statement).toEqual([
      { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: '${aws_lambda_function.cronJobs_function.arn}' },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '${aws_sqs_queue.cronJobs_queue.arn}' },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '${aws_sqs_queue.cronJobs_failures.arn}' },
    ])
    expect(stack.resource.aws_iam_role!.jobs_schedule_role!.name).toBe('shop-dev-s-jobs-schedule')
  })

  it('invoke_policy: CreateSchedule on the group, PassRole on exactly the roles, and no GetFunctionConfiguration for queue tasks', () => {
    const policy = JSON.parse(stack.output.invoke_policy!.value)
    const account = '${data.aws_caller_identity.account.account_id}'
    expect(policy.Statement.slice(-2)).toEqual([
      { Effect: 'Allow', Action: ['scheduler:CreateSchedule'], Resource: `arn:aws:scheduler:us-east-1:${account}:schedule/shop-dev-s/*` },
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${account}:role/shop-dev-s-jobs-schedule`, `arn:aws:iam::${account}:role/shop-dev-s-cronJobs-schedule`],
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ])
    expect(JSON.stringify(policy)).not.toContain('GetFunctionConfiguration')
  })
})
