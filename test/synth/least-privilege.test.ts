import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import type { Model } from '../../generator/model/model.js'
import { userStatements } from '../../generator/synth/policy.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { copyShop } from '../helpers/shop.js'
import { actsOn, iamMatches, policyStatements, resourceArns, type StackJson, type Statement } from '../helpers/synthesized-policies.js'
import { removeTempDirs } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** App and stage names that share a prefix or a suffix with app "shop", stage "dev" once joined by hyphens. */
const NEIGHBOURS = [
  { app: 'shop', stage: 'dev-eu' },
  { app: 'shop', stage: 'dev-on' },
  { app: 'shop', stage: 'dev2' },
  { app: 'shop', stage: 'de' },
  { app: 'shop', stage: 'prod' },
  { app: 'shop-dev', stage: 'eu' },
  { app: 'shop-dev', stage: 'dev' },
  { app: 'shopping', stage: 'dev' },
  { app: 'sho', stage: 'dev' },
  { app: 'sho', stage: 'p-dev' },
  { app: 's', stage: 'hop-dev' },
]

interface Synthesized {
  model: Model
  stacks: { name: string; json: StackJson }[]
}

/** The shop example in a VPC, with a user permission as broad as a user may write and a queue task whose calls may be delayed, synthesized as `app` for `stage`. */
async function synthShop(app: string, stage: string): Promise<Synthesized> {
  const dir = copyShop(`least-privilege-${app}-${stage}`)
  const configFile = join(dir, 'task-gen.json')
  const config = JSON.parse(readFileSync(configFile, 'utf8'))
  config.app = app
  config.defaults.function.vpc = { subnetIds: ['subnet-0abc'], securityGroupIds: ['sg-0def'] }
  config.stacks.reports.tasks.cleanupExports = {
    consumer: './src/reports/cleanup-exports.ts',
    schedule: [
      { cron: '0 3 * * ? *', timezone: 'Europe/Amsterdam' },
      { rate: '1 hour', enabled: false },
    ],
  }
  config.stacks.orders.tasks.reserveStock.delay = true
  config.stacks.reports.tasks.generateReport.consumer.permissions.push({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:*:*:shop-*'] })
  writeFileSync(configFile, JSON.stringify(config))
  const { model, extraction } = await loadAndExtract({ configFile, stage })
  const result = await synthesize(model, extraction, join(dir, 'cdktf.out'))
  const stacks = result.stacks.map(({ name, dir: stackDir }) => ({ name, json: JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson }))
  return { model, stacks }
}

/** The statements task-gen wrote: the user's own `permissions` are theirs to scope. */
function taskGenStatements({ model, stacks }: Synthesized): Statement[] {
  const functions = [...model.stacks.flatMap((s) => s.tasks.map((t) => t.function)), ...(model.onFailure ? [model.onFailure.function] : [])]
  const users = new Set(functions.flatMap((fn) => userStatements(fn.permissions)).map((s) => JSON.stringify([s.Effect, s.Action, s.Resource])))
  return stacks.flatMap(({ name, json }) => policyStatements(json, name)).filter((s) => !users.has(JSON.stringify([s.Effect, s.Action, s.Resource])))
}

describe('least privilege across apps and stages', () => {
  let shop: Synthesized
  let statements: Statement[]
  let ownArns: string[]
  let neighbourArns: string[]

  beforeAll(async () => {
    shop = await synthShop('shop', 'dev')
    statements = taskGenStatements(shop)
    ownArns = resourceArns(shop.stacks.map((s) => s.json))
    neighbourArns = []
    for (const { app, stage } of NEIGHBOURS) neighbourArns.push(...resourceArns((await synthShop(app, stage)).stacks.map((s) => s.json)))
  }, 240_000)

  it('no resource pattern of any policy task-gen writes reaches a resource of another app or stage', () => {
    const reached = statements.flatMap((statement) =>
      statement.Resource.flatMap((pattern) =>
        neighbourArns.filter((arn) => actsOn(statement, arn) && iamMatches(pattern, arn)).map((arn) => `${statement.source}: ${pattern} reaches ${arn}`),
      ),
    )
    expect(reached).toEqual([])
  })

  it('the audit is not vacuous: it sees every kind of policy, the neighbours, and the user permission it leaves to the user', () => {
    const sources = statements.map((s) => s.source)
    expect(sources).toContain('orders: output.invoke_policy.value')
    expect(sources.some((s) => s.startsWith('on-failure: resource.aws_iam'))).toBe(true)
    expect(sources.some((s) => s.startsWith('reports: resource.aws_iam_role_policy.'))).toBe(true)
    expect(neighbourArns).toContain('arn:aws:sqs:us-east-1:123456789012:shop-dev-eu-orders-processOrder-failures')
    expect(neighbourArns).toContain('arn:aws:sqs:us-east-1:123456789012:shop-dev-dev-orders-processOrder-failures')
    const all = shop.stacks.flatMap(({ name, json }) => policyStatements(json, name))
    expect(all.length - statements.length).toBe(2) // generateReport's two permissions
  })

  it('every pattern task-gen writes reaches something of its own app and stage', () => {
    for (const statement of statements) {
      for (const pattern of statement.Resource)
        expect(
          ownArns.some((arn) => iamMatches(pattern, arn)),
          `${statement.source}: ${pattern}`,
        ).toBe(true)
    }
  })

  it('the on-failure function may receive and delete on every failure queue of the app and stage', () => {
    const onFailure = statements.filter(
      (s) => s.source.startsWith('on-failure:') && s.Action.includes('sqs:ReceiveMessage') && s.Action.includes('sqs:DeleteMessage'),
    )
    const queues = shop.model.stacks.flatMap((s) => s.tasks.map((t) => `arn:aws:sqs:us-east-1:123456789012:${t.names.failureQueue}`))
    for (const queue of queues)
      expect(
        onFailure.some((s) => s.Resource.some((pattern) => iamMatches(pattern, queue))),
        queue,
      ).toBe(true)
  })
})

describe('least privilege of schedules', () => {
  it("a task's schedule role may invoke exactly its function and send to exactly its failure queue, and only Scheduler of its group may assume it", async () => {
    const { model, stacks } = await synthShop('shop', 'dev')
    const reports = stacks.find((s) => s.name === 'reports')!.json
    const task = model.stacks.find((s) => s.name === 'reports')!.tasks.find((t) => t.name === 'cleanupExports')!
    const statements = policyStatements(reports, 'reports').filter((s) => s.source.includes('cleanupExports_schedule_policy'))
    expect(statements.map(({ Effect, Action, Resource }) => ({ Effect, Action, Resource }))).toEqual([
      { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [`arn:aws:lambda:us-east-1:123456789012:function:${task.names.function}`] },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [`arn:aws:sqs:us-east-1:123456789012:${task.names.failureQueue}`] },
    ])
    const role = reports.resource!.aws_iam_role!.cleanupExports_schedule_role!
    expect(JSON.parse(String(role.assume_role_policy)).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '${data.aws_caller_identity.account.account_id}',
            'aws:SourceArn': '${aws_scheduler_schedule_group.schedule_group.arn}',
          },
        },
      },
    ])
    // Each scheduled task has a role of its own (generateReport has the shop's daily schedule); no other task has one.
    expect(
      Object.keys(reports.resource!.aws_iam_role!)
        .filter((id) => id.includes('schedule'))
        .sort(),
    ).toEqual(['cleanupExports_schedule_role', 'generateReport_schedule_role'])
  }, 120_000)

  it("a queue task's schedule role for its delayed calls may send to exactly its queue and its failure queue, and invoke nothing; callers may create its schedules and pass only that role", async () => {
    const { model, stacks } = await synthShop('shop', 'dev')
    const orders = stacks.find((s) => s.name === 'orders')!.json
    const task = model.stacks.find((s) => s.name === 'orders')!.tasks.find((t) => t.name === 'reserveStock')!
    const statements = policyStatements(orders, 'orders')
    expect(
      statements.filter((s) => s.source.includes('reserveStock_schedule_policy')).map(({ Effect, Action, Resource }) => ({ Effect, Action, Resource })),
    ).toEqual([
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [`arn:aws:sqs:us-east-1:123456789012:${task.queue!.name}`] },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [`arn:aws:sqs:us-east-1:123456789012:${task.names.failureQueue}`] },
    ])
    const invoke = statements.filter((s) => s.source === 'orders: output.invoke_policy.value')
    expect(invoke.filter((s) => s.Action.some((a) => a.startsWith('scheduler:') || a.startsWith('iam:')))).toEqual([
      expect.objectContaining({ Action: ['scheduler:CreateSchedule'], Resource: ['arn:aws:scheduler:us-east-1:123456789012:schedule/shop-dev-orders/*'] }),
      expect.objectContaining({ Action: ['iam:PassRole'], Resource: ['arn:aws:iam::123456789012:role/shop-dev-orders-reserveStock-schedule'] }),
    ])
    // The client learns the account from the queue's URL: callers need no Lambda permission for a queue task's delay.
    expect(invoke.flatMap((s) => s.Action).filter((a) => a.startsWith('lambda:'))).toEqual(['lambda:InvokeFunction'])
  }, 120_000)
})

describe('iamMatches', () => {
  it('matches * and ? as IAM does, and nothing else as a wildcard', () => {
    expect(iamMatches('arn:aws:sqs:r:1:shop-dev-*-failures', 'arn:aws:sqs:r:1:shop-dev-eu-orders-x-failures')).toBe(true)
    expect(iamMatches('arn:aws:sqs:r:1:a?c', 'arn:aws:sqs:r:1:abc')).toBe(true)
    expect(iamMatches('arn:aws:sqs:r:1:a?c', 'arn:aws:sqs:r:1:ac')).toBe(false)
    expect(iamMatches('arn:aws:logs:r:1:log-group:/aws/lambda/f.x:*', 'arn:aws:logs:r:1:log-group:/aws/lambda/fax:log-stream:s')).toBe(false)
    expect(iamMatches('arn:aws:sqs:r:1:Shop', 'arn:aws:sqs:r:1:shop')).toBe(false)
  })
})
