import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXPIRED, THROTTLED, TaskPool, type AttemptResult, type PoolSettings } from '../../generator/dev/task-pool.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** The handler's result, as the JSON dev answers with. */
const valueOf = (attempt: AttemptResult): unknown => (attempt.body === undefined ? undefined : JSON.parse(attempt.body))

/** A built task as `task-gen dev` runs it: an ES module exporting `handler`. */
function bundle(source: string): string {
  const file = join(tempDir('pool'), 'bundle.mjs')
  writeFileSync(file, source)
  return file
}

function pool(file: string, settings: Partial<PoolSettings> = {}): TaskPool {
  return new TaskPool({
    label: 's.t',
    bundle: file,
    functionName: 'app-dev-s-t',
    functionArn: 'arn',
    environment: {},
    memoryMb: 256,
    timeoutSeconds: 5,
    concurrency: 2,
    onOutput: () => {},
    ...settings,
  })
}

const SLEEPER = `export const handler = async (ms) => {
  const start = Date.now()
  await new Promise((resolve) => setTimeout(resolve, ms))
  return { start, end: Date.now(), thread: process.pid }
}`

/** The most intervals that overlap at one instant. */
function maxOverlap(spans: { start: number; end: number }[]): number {
  const edges = spans
    .flatMap(
      (s) =>
        [
          [s.start, 1],
          [s.end, -1],
        ] as const,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
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
      expect(maxOverlap(results.map((r) => valueOf(r) as { start: number; end: number }))).toBe(concurrency)
      // Warm reuse: no more workers than the concurrency.
      expect(new Set(results.map((r) => (valueOf(r) as { thread: number }).thread)).size).toBe(concurrency)
    }
  })

  it('gives the handler its environment and a Lambda context', async () => {
    const p = pool(
      bundle(
        'export const handler = async (_e, c) => ({ env: process.env.COLOUR, fn: c.functionName, id: c.awsRequestId, left: c.getRemainingTimeInMillis() })',
      ),
      { environment: { COLOUR: 'teal' } },
    )
    const result = valueOf(await p.run({}, 'req-9'))
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
    const p = pool(bundle("export const handler = async (e) => { if (e.die) setTimeout(() => { throw new Error('late') }, 0); return process.pid }"), {
      concurrency: 1,
    })
    const first = await p.run({ die: true }, 'a')
    await new Promise((resolve) => setTimeout(resolve, 200))
    const second = await p.run({}, 'b')
    p.retire()
    expect(first.ok).toBe(true)
    expect(second).toMatchObject({ ok: true })
    expect(valueOf(second)).not.toBe(valueOf(first))
  })

  it('an attempt that cannot start by its deadline (all workers busy) does not run', async () => {
    const p = pool(bundle(SLEEPER), { concurrency: 1 })
    const busy = p.run(400, 'first')
    const late = await p.run(10, 'second', { startBy: Date.now() + 50 })
    expect((await busy).ok).toBe(true)
    p.retire()
    expect(late).toMatchObject({ ok: false, error: { errorType: EXPIRED } })
    expect(late.body).toBeUndefined()
  })

  it('a bundle that fails to load fails each attempt with the import error, as Runtime.ImportModuleError would', async () => {
    const p = pool(bundle("throw new Error('bad top level')"))
    const result = await p.run({}, 'r')
    p.retire()
    expect(result).toMatchObject({ ok: false, error: { errorMessage: 'bad top level' } })
  })
})

/** A build that says when it is loaded (a cold start) and which version ran each attempt. */
const counted = (version: string) => `console.log('cold start ${version}')
export const handler = async (ms) => {
  const start = Date.now()
  await new Promise((resolve) => setTimeout(resolve, ms))
  return { version: '${version}', start, end: Date.now() }
}`

type Ran = { version: string; start: number; end: number }

describe('TaskPool: a reload (a new build of the task)', () => {
  it("events waiting for a worker run on the new build's warm workers: cold starts bounded by twice the concurrency, not by the events", async () => {
    const coldStarts: string[] = []
    const onOutput = (line: string) => void (line.startsWith('cold start') && coldStarts.push(line))
    const v1 = pool(bundle(counted('v1')), { concurrency: 2, onOutput })
    const runs = Array.from({ length: 60 }, (_, i) => v1.run(20, `r-${i}`))
    await expect.poll(() => coldStarts.length).toBe(2)
    // What a reload does: the new build's pool replaces the old one, which is retired.
    const v2 = new TaskPool({ ...v1.settings, bundle: bundle(counted('v2')) }, v1)
    v1.retire()
    const results = await Promise.all(runs)
    expect(results.every((r) => r.ok)).toBe(true)
    expect(coldStarts.length).toBeLessThanOrEqual(4)
    const ran = results.map((r) => valueOf(r) as Ran)
    // Attempts running at the reload finished on v1; every one that waited ran v2.
    expect(ran.filter((r) => r.version === 'v2').length).toBeGreaterThan(0)
    expect(ran.findIndex((r) => r.version === 'v2')).toBe(ran.filter((r) => r.version === 'v1').length)
    // The task's concurrency holds across the two builds.
    expect(maxOverlap(ran)).toBeLessThanOrEqual(2)
    // The old workers stop once their attempts are done; the new ones stay warm.
    await expect.poll(() => v1.liveWorkers).toBe(0)
    expect(v2.liveWorkers).toBe(2)
    v2.retire()
  })

  it('an attempt asked of the replaced pool later (a retry of an event accepted before the reload) runs the new build', async () => {
    const v1 = pool(bundle(counted('v1')), { concurrency: 1 })
    expect((valueOf(await v1.run(0, 'first')) as Ran).version).toBe('v1')
    const v2 = new TaskPool({ ...v1.settings, bundle: bundle(counted('v2')) }, v1)
    v1.retire()
    const retry = await v1.run(0, 'retry')
    v2.retire()
    expect((valueOf(retry) as Ran).version).toBe('v2')
  })

  it('a removed task (retired, not replaced) runs its waiting events on its warm workers, then stops them', async () => {
    const coldStarts: string[] = []
    const p = pool(bundle(counted('v1')), { concurrency: 2, onOutput: (line) => void (line.startsWith('cold start') && coldStarts.push(line)) })
    const runs = Array.from({ length: 30 }, (_, i) => p.run(20, `r-${i}`))
    await expect.poll(() => coldStarts.length).toBe(2)
    p.retire()
    const results = await Promise.all(runs)
    expect(results.every((r) => r.ok)).toBe(true)
    expect(coldStarts).toHaveLength(2)
    await expect.poll(() => p.liveWorkers).toBe(0)
  })

  it('a new build with reserved concurrency 0 throttles the events still waiting; the running ones finish', async () => {
    const v1 = pool(bundle(SLEEPER), { concurrency: 1 })
    const running = v1.run(300, 'running')
    const waiting = v1.run(10, 'waiting')
    new TaskPool({ ...v1.settings, concurrency: 0 }, v1)
    v1.retire()
    expect(await waiting).toMatchObject({ ok: false, error: { errorType: THROTTLED.errorType } })
    expect((await running).ok).toBe(true)
  })
})
