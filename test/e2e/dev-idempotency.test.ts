import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { createTaskClient } from '../../runtime/client/index.js'
import { writeProject } from '../helpers/client-project.js'
import { startDev, type DevProcess } from '../helpers/dev-process.js'
import { generateInRepo } from '../helpers/generated-shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const running: DevProcess[] = []
afterAll(async () => {
  for (const dev of running) await dev.stop()
  removeTempDirs()
})

const HANDLER = [
  'export default async function charge(order: { id: string }) {',
  '  await new Promise((resolve) => setTimeout(resolve, 300))',
  '  console.log(JSON.stringify({ charged: order.id, at: Date.now() }))',
  '}',
  '',
].join('\n')

describe('idempotency keys in task-gen dev, with the unchanged generated client', () => {
  it('a task invoked three times with one key runs once; another key runs again; a delayed call with a used key makes no second schedule', async () => {
    const dir = tempDir('dev-idempotency')
    writeProject(
      dir,
      {
        app: 'shop',
        region: 'us-east-1',
        stacks: { pay: { tasks: { charge: { consumer: './src/charge.ts', idempotency: { window: '1 hour' }, delay: true } } } },
      },
      { 'src/charge.ts': HANDLER },
    )
    // Short retry delays: a call that found its key in progress is retried soon, and then finds it completed.
    const server = await startDev(dir, ['--retry-delay', '1 second', '--delay-speed', '60'])
    running.push(server)
    const generated = await generateInRepo(join(dir, 'task-gen.json'), 'dev-idempotency')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, { AWS_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: 'dev', AWS_SECRET_ACCESS_KEY: 'dev', AWS_REGION: 'us-east-1' })
      delete process.env.TASK_GEN_STAGE
      const { Task } = await generated.load<{ Task: ReturnType<typeof createTaskClient> }>()
      const charge = Task.pay!.charge!
      // Three calls at once: one runs, the others find the key in progress, are retried, and find it completed.
      await Promise.all([1, 2, 3].map(() => charge({ id: 'order-1' }, { idempotencyKey: 'order-1' })))
      await server.waitFor((l) => l.includes('skipped: idempotency key "order-1" already ran to completion'), { timeoutMs: 30_000 })
      await server.waitFor(() => server.lines.filter((x) => x.includes('skipped: idempotency key "order-1"')).length === 2, { timeoutMs: 30_000 })
      const charged = (id: string) => server.lines.filter((l) => l.startsWith(`pay.charge | {"charged":"${id}"`)).length
      expect(charged('order-1')).toBe(1)

      await charge({ id: 'order-2' }, { idempotencyKey: 'order-2' })
      await server.waitFor((l) => l.startsWith('pay.charge | {"charged":"order-2"'), { timeoutMs: 20_000 })
      await charge({ id: 'order-1' })
      await server.waitFor(() => charged('order-1') === 2, { timeoutMs: 20_000 })

      // "1 minute" at 60 times: a second.
      const first = await charge({ id: 'order-3' }, { idempotencyKey: 'order-3', delay: '1 minute' })
      const second = await charge({ id: 'order-3' }, { idempotencyKey: 'order-3', delay: '1 minute' })
      expect(first.duplicate).toBeUndefined()
      expect(second).toMatchObject({ duplicate: true, schedule: { arn: first.schedule!.arn } })
      await server.waitFor((l) => l.startsWith('pay.charge | {"charged":"order-3"'), { timeoutMs: 20_000 })
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(charged('order-3')).toBe(1)
      expect(server.lines.filter((l) => /^delay {7}shop-dev-pay\/key-[0-9a-f]{56} fired/.test(l))).toHaveLength(1)
    } finally {
      process.env = saved
      generated.remove()
    }
  }, 120_000)
})
