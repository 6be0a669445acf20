import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { invokeTask } from '../../runtime/client/invoke.js'
import { DynamoDbIdempotencyStore } from '../../runtime/handler/dynamodb-idempotency-store.js'
import { newClaim } from '../../runtime/handler/idempotency.js'
import { writeProject } from '../helpers/client-project.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { requireTerraform, runTerraform, writeTerraformCliConfig } from '../helpers/terraform.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const CONFIG = {
  app: 'shop',
  region: 'us-east-1',
  stacks: { pay: { tasks: { charge: { consumer: './src/charge.ts', idempotency: { window: '2 hours' }, delay: true } } } },
}
const HANDLERS = { 'src/charge.ts': 'export default async (order: { id: string }) => {}\n' }
const TABLE = 'shop-dev-pay-charge-idempotency'
const SPEC = { windowSeconds: 7200, lockSeconds: 60 }

describe('deploy of a task with idempotency against moto: its table, and keys claimed with real conditional writes', () => {
  let moto: MotoServer
  let dir: string
  let env: Record<string, string>
  let deployed: CliResult
  const saved = { ...process.env }
  const aws = () => ({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    dir = tempDir('idempotency-deploy')
    writeProject(dir, CONFIG, HANDLERS)
    env = { ...moto.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(mkdtempSync(join(tmpdir(), 'tf-cli-'))) }
    deployed = await runBinAsync(['deploy', '--auto-approve'], { cwd: dir, env })
    Object.assign(process.env, moto.env)
  }, 600_000)

  afterAll(async () => {
    process.env = saved
    await moto?.stop()
    removeTempDirs()
  })

  it('applies, and a second plan reports no changes', async () => {
    expect(deployed.stderr).toBe('')
    expect(deployed.code).toBe(0)
    const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd: join(dir, 'cdktf.out/stacks/pay'), env })
    expect(plan.code, `${plan.stdout}${plan.stderr}`).toBe(0)
  }, 300_000)

  it('the table is on demand, keyed by key, encrypted, with TTL on expiresAt; the function is told its name', async () => {
    const dynamo = new DynamoDBClient(aws())
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: TABLE }))
    expect(Table).toMatchObject({
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      SSEDescription: { Status: 'ENABLED' },
    })
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: TABLE }))
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' })
    const fn = await new LambdaClient(aws()).send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-dev-pay-charge' }))
    expect(fn.Environment?.Variables?.TASK_GEN_IDEMPOTENCY_TABLE).toBe(TABLE)
  })

  it("the wrapper's store decides through DynamoDB's conditions: completed, in progress, expired claim, failed and released", async () => {
    const store = new DynamoDbIdempotencyStore(TABLE)
    const now = Date.now()
    expect(await store.claim(newClaim({ key: 'k1', owner: 'a' }, SPEC, now), now)).toBe('claimed')
    // Another delivery while a holds it; then after a's claim outlived the timeout.
    expect(await store.claim(newClaim({ key: 'k1', owner: 'b' }, SPEC, now), now)).toBe('in-progress')
    expect(await store.claim(newClaim({ key: 'k1', owner: 'a' }, SPEC, now), now)).toBe('claimed')
    const late = now + 61_000
    expect(await store.claim(newClaim({ key: 'k1', owner: 'b' }, SPEC, late), late)).toBe('claimed')
    // a's completion comes too late: b holds the key now.
    await store.complete('k1', 'a')
    expect(await store.claim(newClaim({ key: 'k1', owner: 'c' }, SPEC, now), now)).toBe('in-progress')
    await store.complete('k1', 'b')
    expect(await store.claim(newClaim({ key: 'k1', owner: 'c' }, SPEC, late), late)).toBe('completed')
    // Past the window the key may run again, whether or not TTL has deleted the record yet.
    const afterWindow = late + 7_201_000
    expect(await store.claim(newClaim({ key: 'k1', owner: 'd' }, SPEC, afterWindow), afterWindow)).toBe('claimed')

    expect(await store.claim(newClaim({ key: 'k2', owner: 'a' }, SPEC, now), now)).toBe('claimed')
    await store.release('k2', 'other')
    expect(await store.claim(newClaim({ key: 'k2', owner: 'b' }, SPEC, now), now)).toBe('in-progress')
    await store.release('k2', 'a')
    expect(await store.claim(newClaim({ key: 'k2', owner: 'b' }, SPEC, now), now)).toBe('claimed')
  }, 60_000)

  it('a delayed call with a key creates one schedule; a second call with the key is accepted without another', async () => {
    const { extraction } = await loadAndExtract({ configFile: join(dir, 'task-gen.json') })
    const target = { manifest: extraction.manifest, stack: 'pay', task: 'charge' }
    const first = await invokeTask(target, { id: '7' }, { idempotencyKey: 'order-7', delay: '10 minutes' })
    const second = await invokeTask(target, { id: '7' }, { idempotencyKey: 'order-7', delay: '20 minutes' })
    expect(first.duplicate).toBeUndefined()
    expect(second).toMatchObject({ duplicate: true, schedule: { arn: first.schedule!.arn } })
    const scheduler = new SchedulerClient(aws())
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: 'shop-dev-pay' }))
    expect(listed.Schedules?.map((s) => s.Name)).toEqual([first.schedule!.arn.split('/').pop()])
  }, 60_000)
})
