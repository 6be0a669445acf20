import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { bundleRequests } from '../../generator/bundle/bundle-requests.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { generateInto, typeCheckConsumer, writeProject, type ClientProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { runBin } from '../helpers/run-cli.js'

afterAll(removeTempDirs)

const CONFIG = {
  app: 'shop',
  region: 'us-east-1',
  stacks: {
    s: {
      tasks: {
        once: { consumer: { code: './src/once.ts', timeout: '2 minutes' }, idempotency: { window: '2 hours' }, delay: true },
        daily: { consumer: './src/once.ts', idempotency: {} },
        fifo: { consumer: './src/once.ts', idempotency: {}, queue: { fifo: true } },
        plain: './src/once.ts',
      },
    },
  },
}
const HANDLERS = { 'src/once.ts': 'export default async (p: { id: string }) => {}\n' }

type Json = { resource: Record<string, Record<string, Record<string, any>>>; output: Record<string, { value: string }> }

describe('a task with "idempotency"', () => {
  let project: ClientProject
  let root: string
  let stack: Json
  let config: string

  beforeAll(async () => {
    root = tempDir('idempotency')
    config = writeProject(`${root}/project`, CONFIG, HANDLERS)
    project = await generateInto(root, config)
    const { model, extraction } = await loadAndExtract({ configFile: config })
    const result = await synthesize(model, extraction, join(root, 'cdktf.out'))
    stack = JSON.parse(readFileSync(join(result.stacks[0]!.dir, 'cdk.tf.json'), 'utf8'))
  }, 120_000)

  it('types its options: idempotencyKey is a string for tasks with idempotency only, a function of the payload in batch', () => {
    const source = [
      "import { Task } from 'client'",
      "export const a = () => Task.s.once({ id: '1' }, { idempotencyKey: 'order-1', delay: '10 minutes' })",
      "export const b = () => Task.s.daily({ id: '1' }, { idempotencyKey: 'day-2026-12-04' })",
      "export const c = () => Task.s.fifo({ id: '1' }, { groupId: 'g', idempotencyKey: 'order-1' })",
      "export const d = () => Task.s.daily.batch([{ id: '1' }], { idempotencyKey: (p, i) => `${p.id}-${i}`, concurrency: 2 })",
      '// @ts-expect-error the task has no "idempotency"',
      "export const e = () => Task.s.plain({ id: '1' }, { idempotencyKey: 'k' })",
      '// @ts-expect-error a key is a string',
      "export const f = () => Task.s.daily({ id: '1' }, { idempotencyKey: 42 })",
      '// @ts-expect-error one key for a whole batch would run only its first payload',
      "export const g = () => Task.s.daily.batch([{ id: '1' }], { idempotencyKey: 'k' })",
      '// @ts-expect-error the key function reads the payload as its type',
      "export const h = () => Task.s.daily.batch([{ id: '1' }], { idempotencyKey: (p) => p.orderId })",
      '// @ts-expect-error a task without "delay" still takes no delay',
      "export const i = () => Task.s.daily({ id: '1' }, { idempotencyKey: 'k', delay: '1 minute' })",
    ].join('\n')
    expect(typeCheckConsumer(project, source)).toEqual({ code: 0, output: '' })
  })

  it('synth: a DynamoDB table per task with idempotency: on demand, TTL on expiresAt, encrypted, keyed by key', () => {
    const tables = Object.values(stack.resource.aws_dynamodb_table!)
    expect(tables.map((t) => t.name).sort()).toEqual(['shop-dev-s-daily-idempotency', 'shop-dev-s-fifo-idempotency', 'shop-dev-s-once-idempotency'])
    const { '//': _metadata, ...table } = stack.resource.aws_dynamodb_table!.once_idempotency!
    expect(table).toEqual({
      name: 'shop-dev-s-once-idempotency',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'key',
      attribute: [{ name: 'key', type: 'S' }],
      ttl: { attribute_name: 'expiresAt', enabled: true },
      server_side_encryption: { enabled: true },
    })
  })

  it("synth: the task's role may record keys in its own table only, and the function is told the table's name", () => {
    const statements = JSON.parse(stack.resource.aws_iam_role_policy!.once_policy!.policy).Statement
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      Resource: '${aws_dynamodb_table.once_idempotency.arn}',
    })
    expect(JSON.stringify(JSON.parse(stack.resource.aws_iam_role_policy!.plain_policy!.policy))).not.toContain('dynamodb')
    expect(stack.resource.aws_lambda_function!.once_function!.environment.variables.TASK_GEN_IDEMPOTENCY_TABLE).toBe(
      '${aws_dynamodb_table.once_idempotency.name}',
    )
    expect(stack.resource.aws_lambda_function!.plain_function!.environment.variables.TASK_GEN_IDEMPOTENCY_TABLE).toBeUndefined()
  })

  it("the wrapper's spec carries the window and a claim that outlives the function's timeout", async () => {
    const { model, extraction } = await loadAndExtract({ configFile: config })
    const specs = Object.fromEntries(bundleRequests(model, extraction).map((r) => [r.key, r.wrap.kind === 'task' ? r.wrap.spec.idempotency : undefined]))
    expect(specs['s/once']).toEqual({ windowSeconds: 7200, lockSeconds: 150 })
    expect(specs['s/daily']).toEqual({ windowSeconds: 86_400, lockSeconds: 60 })
    expect(specs['s/plain']).toBeUndefined()
  })

  it('the config refuses a window out of range or an unknown field, at its path', () => {
    const bad = writeProject(
      `${root}/bad`,
      {
        ...CONFIG,
        stacks: {
          s: { tasks: { a: { consumer: './src/once.ts', idempotency: { window: '400 days' } }, b: { consumer: './src/once.ts', idempotency: { ttl: 1 } } } },
        },
      },
      HANDLERS,
    )
    const result = runBin(['check', '--config', bad])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('stacks.s.tasks.a.idempotency.window')
    expect(result.stderr).toContain('stacks.s.tasks.b.idempotency')
    expect(result.stderr).toContain('ttl')
  })
})
