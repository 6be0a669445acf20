import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateShopClient, type ShopClient } from '../helpers/generated-shop.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const ORDER = { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }] }

interface TaskMock {
  calls: { stack: string; task: string; payload: unknown; functionName: string; requestId: string }[]
  callsOf(stack: string, task: string): { payload: unknown }[]
  handle(stack: string, task: string, handler: (payload: unknown, context: { requestId: string }) => unknown): TaskMock
  reject(stack: string, task: string, error?: Error): TaskMock
  settled(): Promise<{ error: unknown }[]>
  restore(): void
}

describe('<client>/testing', () => {
  let generated: Awaited<ReturnType<typeof generateShopClient>>
  let client: ShopClient
  let mockTasks: () => TaskMock

  beforeAll(async () => {
    generated = await generateShopClient('testing-entry')
    client = await generated.load()
    ;({ mockTasks } = await generated.load<{ mockTasks: () => TaskMock }>('testing.js'))
  })

  afterAll(() => {
    generated.remove()
    removeTempDirs()
  })

  it('records calls for assertions, without network', async () => {
    const tasks = mockTasks()
    try {
      const accepted = await client.Task.orders!.processOrder!(ORDER)
      await client.Task.reports!.cleanupExports!()
      expect(accepted).toEqual({ requestId: 'mock-1', functionName: 'shop-dev-orders-processOrder', attempts: 1 })
      expect(tasks.calls.map((c) => `${c.stack}.${c.task}`)).toEqual(['orders.processOrder', 'reports.cleanupExports'])
      expect(tasks.callsOf('orders', 'processOrder').map((c) => c.payload)).toEqual([ORDER])
    } finally {
      tasks.restore()
    }
  })

  it('still validates payloads', async () => {
    const tasks = mockTasks()
    try {
      await expect(client.Task.orders!.processOrder!({ orderId: 1 })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' })
      expect(tasks.calls).toEqual([])
    } finally {
      tasks.restore()
    }
  })

  it('runs a real handler in-process after the call resolves, and reports how it ended', async () => {
    const { default: processOrder } = await import('../../examples/shop/src/orders/process-order.js')
    const tasks = mockTasks().handle('orders', 'processOrder', (payload, context) =>
      processOrder(payload as never, { awsRequestId: context.requestId, functionName: 'x', getRemainingTimeInMillis: () => 1000 }),
    )
    try {
      await client.Task.orders!.processOrder!(ORDER)
      await client.Task.orders!.processOrder!({ ...ORDER, items: [] })
      const outcomes = await tasks.settled()
      expect(outcomes.map((o) => (o.error as Error | undefined)?.message)).toEqual([undefined, 'order 123 has no items'])
    } finally {
      tasks.restore()
    }
  })

  it('stubs a rejection', async () => {
    const tasks = mockTasks().reject('orders', 'sendReceipt')
    try {
      const receipt = { orderId: '1', customer: { id: 'c', email: 'a@b.c' }, total: { amount: 1, currency: 'EUR' }, channel: { kind: 'email' } }
      await expect(client.Task.orders!.sendReceipt!(receipt)).rejects.toMatchObject({ name: 'TaskInvokeError', code: 'INVOKE_FAILED' })
    } finally {
      tasks.restore()
    }
  })

  it("works in node's own test runner, with no globals", () => {
    const project = tempDir('node-test')
    mkdirSync(join(project, 'node_modules/@shop'), { recursive: true })
    cpSync(generated.dir, join(project, 'node_modules/@shop/tasks'), { recursive: true })
    symlinkSync(join(REPO_ROOT, 'node_modules/@aws-sdk'), join(project, 'node_modules/@aws-sdk'))
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    writeFileSync(
      join(project, 'order.test.js'),
      [
        "import { test } from 'node:test'",
        "import assert from 'node:assert/strict'",
        "import { Task } from '@shop/tasks'",
        "import { mockTasks } from '@shop/tasks/testing'",
        "test('checkout enqueues the order', async () => {",
        '  const tasks = mockTasks()',
        "  await Task.orders.processOrder({ orderId: '9', customerId: '1', items: [] })",
        "  assert.deepEqual(tasks.callsOf('orders', 'processOrder').map((c) => c.payload.orderId), ['9'])",
        '  tasks.restore()',
        '})',
      ].join('\n'),
    )
    // TAP named, as Node 23 and later default to the spec reporter.
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'order.test.js'], { cwd: project, encoding: 'utf8' })
    expect(run.stdout).toMatch(/# pass 1\n/)
    expect(run.status).toBe(0)
  })
})
