import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { CreateFunctionCommand } from '@aws-sdk/client-lambda'
import { CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deterministicZip } from '../../generator/bundle/zip.js'
import { awsClients } from '../helpers/aws.js'
import { writeProject } from '../helpers/client-project.js'
import { startLambdaServer, type LambdaTestServer } from '../helpers/lambda-server.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const order = { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }], priority: 'high' }

describe('task-gen invoke sends one event as the client does, to a real HTTP server speaking the Lambda API', () => {
  let shop: string
  let lambda: LambdaTestServer
  const invoke = (args: string[]) =>
    runBinAsync(['invoke', ...args], {
      cwd: shop,
      env: {
        AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    })

  beforeAll(async () => {
    shop = copyShop('cli-invoke')
    lambda = await startLambdaServer()
  })

  afterAll(async () => {
    await lambda?.close()
    removeTempDirs()
  })

  it('a valid payload is an Event invoke of the stage’s function, with the payload as its body', async () => {
    lambda.requests.length = 0
    const result = await invoke(['orders.processOrder', '--payload', JSON.stringify(order)])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(lambda.requests.map((r) => [r.functionName, r.headers['x-amz-invocation-type'], JSON.parse(r.body)])).toEqual([
      ['shop-dev-orders-processOrder', 'Event', order],
    ])
    expect(result.stdout).toMatch(/^accepted: orders\.processOrder → request \S+ \(function shop-dev-orders-processOrder\)\n$/)
  }, 60_000)

  it('--payload @file reads the JSON from a file; --stage picks the function; --json prints the result', async () => {
    lambda.requests.length = 0
    writeFileSync(join(shop, 'order.json'), JSON.stringify(order))
    const result = await invoke(['orders.processOrder', '--payload', '@order.json', '--stage', 'prod', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(lambda.requests.map((r) => [r.functionName, JSON.parse(r.body)])).toEqual([['shop-prod-orders-processOrder', order]])
    expect(JSON.parse(result.stdout)).toMatchObject({ functionName: 'shop-prod-orders-processOrder', attempts: 1, requestId: expect.any(String) })
  }, 60_000)

  it('a task without a payload is invoked without --payload', async () => {
    lambda.requests.length = 0
    const result = await invoke(['reports.cleanupExports'])
    expect(result.code, result.stderr).toBe(0)
    expect(lambda.requests.map((r) => [r.functionName, r.body])).toEqual([['shop-dev-reports-cleanupExports', '']])
  }, 60_000)

  it('a payload that does not match the type is refused before anything is sent (exit 1), every problem named', async () => {
    lambda.requests.length = 0
    const result = await invoke(['orders.processOrder', '--payload', '{"orderId":1}'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Task orders.processOrder: the payload does not match its type; nothing was sent')
    expect(result.stderr).toContain('payload.orderId: expected string, got number 1')
    expect(result.stderr).toContain('payload.customerId: is required')
    expect(lambda.requests).toEqual([])
  }, 60_000)

  it("Lambda's refusal is the client's error (exit 1), not a crash", async () => {
    lambda.requests.length = 0
    lambda.respond(() => ({ status: 404 }))
    try {
      const result = await invoke(['orders.processOrder', '--payload', JSON.stringify(order)])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        /^task-gen: Task orders\.processOrder: no Lambda function named shop-dev-orders-processOrder \(stage "dev"\); is the stack deployed to this stage and region\?\n$/,
      )
      expect(result.stderr).not.toMatch(/internal error|at .*\.js:\d+/)
    } finally {
      lambda.respond(() => ({ status: 202 }))
    }
  }, 60_000)

  it.each([
    [['orders.procesOrder'], 'no task "orders.procesOrder"; did you mean "orders.processOrder"?'],
    [['processOrder'], '"processOrder": name the task as <stack>.<task>, e.g. orders.processOrder'],
    [[], 'expected one task, as <stack>.<task>, got none'],
    [['orders.processOrder', '--payload', '{bad'], '--payload: not JSON ('],
    [['orders.processOrder', '--payload', '@missing.json'], '--payload: cannot read missing.json: ENOENT'],
    [
      ['orders.processOrder', '--local', '--delay', '1 minute'],
      '--delay with --local: `task-gen invoke` does not send delayed calls to dev yet (the client does: point AWS_ENDPOINT_URL at dev)',
    ],
    [['orders.processOrder', '--local'], '--local invokes through `task-gen dev`, and it is not running for task-gen.json, stage "dev"'],
  ])(
    '%j is a usage error (exit 2) naming the problem, and sends nothing',
    async (args, message) => {
      lambda.requests.length = 0
      const result = await invoke(args)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`task-gen: ${message}`)
      expect(lambda.requests).toEqual([])
    },
    60_000,
  )
})

describe('task-gen invoke --delay creates the one-time schedule the client would, in moto', () => {
  let moto: MotoServer
  let dir: string

  beforeAll(async () => {
    moto = await startMoto()
    dir = tempDir('cli-invoke-delay')
    writeProject(
      dir,
      { app: 'shop', region: 'us-east-1', stacks: { s: { tasks: { later: { consumer: './src/later.ts', delay: true }, now: './src/now.ts' } } } },
      { 'src/later.ts': 'export default async (p: { id: string }) => {}\n', 'src/now.ts': 'export default async (p: { id: string }) => {}\n' },
    )
    // The function the schedule targets, as a deploy leaves it (the client reads its configuration first).
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    const assume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'shop-dev-s-later', AssumeRolePolicyDocument: JSON.stringify(assume) }))
    const code = deterministicZip([{ name: 'index.mjs', data: new TextEncoder().encode('export const handler = async () => {}') }])
    await awsClients(moto).lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'shop-dev-s-later',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role.Role!.Arn!,
        Code: { ZipFile: code },
      }),
    )
  }, 120_000)

  afterAll(async () => {
    await moto?.stop()
    removeTempDirs()
  })

  it("--delay '10 minutes' schedules the payload for ten minutes from now, targeting the task's function", async () => {
    const scheduler = new SchedulerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'shop-dev-s' })) // deploy creates it
    const before = Date.now()
    const result = await runBinAsync(['invoke', 's.later', '--payload', '{"id":"d-1"}', '--delay', '10 minutes', '--json'], {
      cwd: dir,
      env: { ...moto.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    })
    expect(result.code, result.stderr).toBe(0)
    const accepted = JSON.parse(result.stdout) as { schedule: { arn: string; at: string }; functionName: string }
    expect(accepted.functionName).toBe('shop-dev-s-later')
    const at = Date.parse(accepted.schedule.at)
    expect(at).toBeGreaterThanOrEqual(before + 600_000)
    expect(at).toBeLessThanOrEqual(Date.now() + 601_000)
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: accepted.schedule.arn.split('/').pop()!, GroupName: 'shop-dev-s' }))
    expect(schedule.Target?.Arn).toMatch(/:function:shop-dev-s-later$/)
    expect(JSON.parse(schedule.Target!.Input!)).toMatchObject({ payload: { id: 'd-1' }, deliverAt: accepted.schedule.at })
  }, 60_000)

  it('--delay on a task without "delay" is the client\'s refusal (exit 1): nothing is scheduled', async () => {
    const result = await runBinAsync(['invoke', 's.now', '--payload', '{"id":"d-2"}', '--delay', '10 minutes'], {
      cwd: dir,
      env: { ...moto.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('set "delay": true on the task')
  }, 60_000)
})
