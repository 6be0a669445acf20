import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXPIRED, TaskPool, type PoolSettings } from '../../generator/dev/task-pool.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** A built task as `task-gen dev` runs it: an ES module exporting `handler`. */
function bundle(source: string): string {
  const file = join(tempDir('pool'), 'bundle.mjs')
  writeFileSync(file, source)
  return file
}

function pool(file: string, settings: Partial<PoolSettings> = {}): TaskPool {
  return new TaskPool({ label: 's.t', bundle: file, functionName: 'app-dev-s-t', functionArn: 'arn', environment: {}, memoryMb: 256, timeoutSeconds: 5, concurrency: 2, onOutput: () => {}, ...settings })
}

const SLEEPER = `export const handler = async (ms) => {
  const start = Date.now()
  await new Promise((resolve) => setTimeout(resolve, ms))
  return { start, end: Date.now(), thread: (await import('node:worker_threads')).threadId }
}`

/** The most intervals that overlap at one instant. */
function maxOverlap(spans: { start: number; end: number }[]): number {
  const edges = spans.flatMap((s) => [[s.start, 1], [s.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let now = 0
  let most = 0
  for (const [, step] of edges) most = Math.max(most, (now += step))
  return most
}

describe('TaskPool: warm workers, as Lambda instances', () => {
  it('runs attempts concurrently, never more at once than its concurrency', async () => {
    for (const concurrency of [1, 3]) {
      const p = pool(bundle(SLEEPER), { concurrency })
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => p.run(150, `r-${i}`)))
      p.retire()
      expect(results.every((r) => r.ok)).toBe(true)
      expect(maxOverlap(results.map((r) => r.result as { start: number; end: number }))).toBe(concurrency)
      // Warm reuse: no more workers than the concurrency.
      expect(new Set(results.map((r) => (r.result as { thread: number }).thread)).size).toBe(concurrency)
    }
  })

  it('gives the handler its environment and a Lambda context', async () => {
    const p = pool(bundle('export const handler = async (_e, c) => ({ env: process.env.COLOUR, fn: c.functionName, id: c.awsRequestId, left: c.getRemainingTimeInMillis() })'), { environment: { COLOUR: 'teal' } })
    const { result } = await p.run({}, 'req-9')
    p.retire()
    expect(result).toMatchObject({ env: 'teal', fn: 'app-dev-s-t', id: 'req-9' })
    expect((result as { left: number }).left).toBeGreaterThan(0)
    expect((result as { left: number }).left).toBeLessThanOrEqual(5000)
  })

  it('stops an attempt at the timeout and replaces its worker', async () => {
    const p = pool(bundle(SLEEPER), { timeoutSeconds: 1, concurrency: 1 })
    const late = await p.run(3000, 'slow')
    const next = await p.run(10, 'quick')
    p.retire()
    expect(late).toMatchObject({ ok: false, timedOut: true, error: { errorType: 'Sandbox.Timedout' } })
    expect(next.ok).toBe(true)
  })

  it('a worker that dies after answering (an uncaught error) takes no further attempt; the next gets a fresh one', async () => {
    const p = pool(bundle("export const handler = async (e) => { if (e.die) setTimeout(() => { throw new Error('late') }, 0); return (await import('node:worker_threads')).threadId }"), { concurrency: 1 })
    const first = await p.run({ die: true }, 'a')
    await new Promise((resolve) => setTimeout(resolve, 200))
    const second = await p.run({}, 'b')
    p.retire()
    expect(first.ok).toBe(true)
    expect(second).toMatchObject({ ok: true })
    expect(second.result).not.toBe(first.result)
  })

  it('an attempt that cannot start by its deadline (all workers busy) does not run', async () => {
    const p = pool(bundle(SLEEPER), { concurrency: 1 })
    const busy = p.run(400, 'first')
    const late = await p.run(10, 'second', Date.now() + 50)
    expect((await busy).ok).toBe(true)
    p.retire()
    expect(late).toMatchObject({ ok: false, error: { errorType: EXPIRED } })
    expect(late.result).toBeUndefined()
  })

  it('a bundle that fails to load fails each attempt with the import error, as Runtime.ImportModuleError would', async () => {
    const p = pool(bundle("throw new Error('bad top level')"))
    const result = await p.run({}, 'r')
    p.retire()
    expect(result).toMatchObject({ ok: false, error: { errorMessage: 'bad top level' } })
  })
})
