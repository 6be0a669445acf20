import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageFile } from '../helpers/client-package.js'
import { copyFixtureApp, localRecords, startDev, type DevProcess } from '../helpers/dev-process.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { removeTempDirs } from '../helpers/temp.js'

type Job = { id: string; units?: number }
type Accepted = { requestId: string }
type Invoker = (payload?: unknown, options?: Record<string, unknown>) => Promise<Accepted>
type DevClient = { Task: { jobs: Record<'succeed' | 'flaky' | 'alwaysFail' | 'slow' | 'strict' | 'edited' | 'paused' | 'hungry', Invoker> } }

const copyDevApp = () => copyFixtureApp('dev-app')

const attemptLine = (task: string, requestId: string) => new RegExp(`^jobs\\.${task} {2}attempt (\\d+)/(\\d+) {2}${requestId} {2}(\\d+) ms {2}(.*)$`)

const records = (app: string, task: string, queue = `devapp-dev-jobs-${task}-failures`) => localRecords(app, queue)

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('task-gen dev, end to end through the generated client', () => {
  let app: string
  let dev: DevProcess
  let Task: DevClient['Task']

  beforeAll(async () => {
    app = copyDevApp()
    dev = await startDev(app, ['--retry-delay', '1 second'])
    Object.assign(process.env, { AWS_ENDPOINT_URL_LAMBDA: dev.endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' })
    ;({ Task } = (await import(pathToFileURL(join(app, '.task-gen/client/index.js')).href)) as DevClient)
  }, 90_000)

  afterAll(async () => {
    expect(await dev?.stop()).toBe(0)
    removeTempDirs()
  })

  it('says where it listens and the environment line to use, and generated the client', () => {
    expect(dev.lines[0]).toBe(`task-gen dev: 8 task(s) of devapp (stage "dev") at ${dev.endpoint}`)
    expect(dev.lines[1]).toBe(`Point the client at it: AWS_ENDPOINT_URL_LAMBDA=${dev.endpoint}`)
    expect(typeof Task.jobs.succeed).toBe('function')
  })

  it('a succeeding task runs once, with its configured environment, its output prefixed with the task', async () => {
    const { requestId } = await Task.jobs.succeed({ id: 's-1' } satisfies Job)
    const line = await dev.waitFor(attemptLine('succeed', requestId))
    expect(line).toMatch(/attempt 1\/3 .* success$/)
    await dev.waitFor((l) => l === 'jobs.succeed | ran s-1: hello from the config')
    await settle(2500)
    expect(dev.lines.filter((l) => attemptLine('succeed', requestId).test(l))).toHaveLength(1)
  })

  it('a task that fails once, then succeeds, runs twice', async () => {
    const { requestId } = await Task.jobs.flaky({ id: 'f-1' })
    await dev.waitFor((l) => attemptLine('flaky', requestId).test(l) && l.includes('attempt 2/3'))
    await settle(2500)
    const outcomes = dev.lines.filter((l) => attemptLine('flaky', requestId).test(l)).map((l) => attemptLine('flaky', requestId).exec(l)![4])
    expect(outcomes).toEqual(['error: Error: first attempt at f-1 fails', 'success'])
    expect(records(app, 'flaky')).toEqual([])
  })

  it('with --retry-delay "1 second", an always-failing task with retryAttempts 2 runs 3 times; one record, delivered to the on-failure handler', async () => {
    const payload = { id: 'a-1', units: 3 }
    const sent = Date.now()
    const { requestId } = await Task.jobs.alwaysFail(payload)
    const delivered = await dev.waitFor((l) => l.startsWith('on-failure | ') && l.includes(requestId))
    expect(Date.now() - sent).toBeGreaterThanOrEqual(2000) // two retry delays of 1 second
    await settle(2500)
    const attempts = dev.lines.filter((l) => attemptLine('alwaysFail', requestId).test(l))
    expect(attempts.map((l) => attemptLine('alwaysFail', requestId).exec(l)!.slice(1, 3))).toEqual([
      ['1', '3'],
      ['2', '3'],
      ['3', '3'],
    ])
    const handled = JSON.parse(delivered.slice('on-failure | '.length)) as {
      who: string
      failure: {
        stack: string
        task: string
        condition: string
        attempts: number
        payload: unknown
        requestId: string
        error: { message: string; stack: string }
      }
    }
    expect(handled.who).toBe('on-failure')
    expect(handled.failure).toMatchObject({
      stack: 'jobs',
      task: 'alwaysFail',
      condition: 'RetriesExhausted',
      attempts: 3,
      requestId,
      error: { message: 'a-1 always fails' },
    })
    expect(handled.failure.payload).toEqual(payload)
    expect(dev.lines.filter((l) => l.startsWith('on-failure | '))).toHaveLength(1)
    const kept = records(app, 'alwaysFail')
    expect(kept).toHaveLength(1)
    expect(kept[0]).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: payload,
      responsePayload: { errorType: 'Error', errorMessage: 'a-1 always fails' },
    })
    // As Lambda's Node.js runtime writes it: `trace`, the error's stack line by line.
    const trace = kept[0]!.responsePayload!.trace!
    expect(trace[0]).toBe('Error: a-1 always fails')
    expect(trace.length).toBeGreaterThan(1)
    for (const frame of trace.slice(1)) expect(frame).toMatch(/^ {4}at /)
    expect(kept[0]!.responsePayload).not.toHaveProperty('stackTrace')
    expect(handled.failure.error.stack).toBe(trace.join('\n'))
  })

  it('a handler that runs past its timeout is stopped, and the attempt fails', async () => {
    const { requestId } = await Task.jobs.slow({ id: 't-1' })
    const line = await dev.waitFor(attemptLine('slow', requestId))
    const [, attempt, of, ms, outcome] = attemptLine('slow', requestId).exec(line)!
    expect([attempt, of, outcome]).toEqual(['1', '1', 'timeout: Task timed out after 1.00 seconds'])
    expect(Number(ms)).toBeGreaterThanOrEqual(1000)
    expect(Number(ms)).toBeLessThan(5000)
    await dev.waitFor((l) => l.startsWith('jobs.slow  failed (RetriesExhausted)'))
    expect(records(app, 'slow')[0]).toMatchObject({ requestContext: { approximateInvokeCount: 1 }, responsePayload: { errorType: 'Sandbox.Timedout' } })
    expect(dev.lines).not.toContain('jobs.slow | t-1 finished')
  })

  it('NonRetryableError and an invalid payload are not retried: one attempt, one record each', async () => {
    const strict = await Task.jobs.strict({ id: 'n-1' })
    const invalid = await Task.jobs.succeed({ id: 42 }, { validate: false })
    await dev.waitFor(attemptLine('strict', strict.requestId))
    await dev.waitFor(attemptLine('succeed', invalid.requestId))
    await settle(2500)
    expect(dev.lines.filter((l) => attemptLine('strict', strict.requestId).test(l))).toEqual([
      expect.stringMatching(/attempt 1\/3 .* non-retryable: n-1 can never work$/),
    ])
    expect(dev.lines.filter((l) => attemptLine('succeed', invalid.requestId).test(l))).toEqual([
      expect.stringMatching(/attempt 1\/3 .* invalid payload: payload\.id: /),
    ])
    expect(records(app, 'strict').map((r) => r.requestContext.condition)).toEqual(['NonRetryable'])
    expect(records(app, 'succeed').map((r) => [r.requestContext.condition, r.requestPayload])).toEqual([['ValidationFailed', { id: 42 }]])
  })

  it('a handler that outgrows its memorySize fails its attempt, and dev keeps serving', async () => {
    const { requestId } = await Task.jobs.hungry()
    const line = await dev.waitFor(attemptLine('hungry', requestId), { timeoutMs: 60_000 })
    expect(attemptLine('hungry', requestId).exec(line)![4]).toMatch(/^error: Runtime\.OutOfMemory: /)
    const again = await Task.jobs.succeed({ id: 'after-oom' })
    await dev.waitFor(attemptLine('succeed', again.requestId))
  }, 90_000)

  it('reservedConcurrency 0 sends each event straight to its failure record, without an attempt', async () => {
    const { requestId } = await Task.jobs.paused({ id: 'p-1' })
    await dev.waitFor((l) => l.startsWith('jobs.paused  failed (RetriesExhausted)'))
    expect(dev.lines.filter((l) => attemptLine('paused', requestId).test(l))).toEqual([])
    expect(records(app, 'paused')).toEqual([
      expect.objectContaining({ requestContext: expect.objectContaining({ approximateInvokeCount: 0 }), requestPayload: { id: 'p-1' } }),
    ])
  })

  it('answers RequestResponse with the result, and an unknown function with ResourceNotFoundException', async () => {
    const lambda = new LambdaClient({ endpoint: dev.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } })
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'devapp-dev-jobs-succeed', Payload: JSON.stringify({ id: 'rr-1' }) }))
    expect(out.StatusCode).toBe(200)
    expect(JSON.parse(Buffer.from(out.Payload!).toString('utf8'))).toEqual({ done: 'rr-1' })
    await expect(Task.jobs.succeed({ id: 'x' }, { stage: 'prod' })).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' })
    // As in Lambda: a throttled synchronous invoke is a 429, and the wrapper's records are kept whatever the invocation type.
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'devapp-dev-jobs-paused', Payload: '{"id":"x"}' }))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    })
    const invalid = await lambda.send(new InvokeCommand({ FunctionName: 'devapp-dev-jobs-strict', Payload: JSON.stringify({ id: 'rr-2' }) }))
    expect(invalid.FunctionError).toBeUndefined()
    await expect.poll(() => records(app, 'strict').map((r) => r.requestPayload)).toContainEqual({ id: 'rr-2' })
  })

  it('a record the on-failure handler keeps rejecting is received maxReceives (2) times, then moves to the local dead-letter queue', async () => {
    await Task.jobs.alwaysFail({ id: 'reject-1' })
    await expect
      .poll(() => dev.stderr(), { timeout: 30_000 })
      .toContain('on-failure  rejected the record of jobs.alwaysFail 2 times; moved to the local dead-letter queue devapp-dev-on-failure-dlq')
    expect(records(app, 'alwaysFail').map((r) => r.requestPayload)).not.toContainEqual({ id: 'reject-1' })
    expect(records(app, '', 'devapp-dev-on-failure-dlq').map((r) => r.requestPayload)).toEqual([{ id: 'reject-1' }])
  }, 60_000)

  it('failures list --local shows the local records; replay --local sends them to dev again and removes them', async () => {
    const listed = await runBinAsync(['failures', 'list', '--local', '--json', '--task', 'alwaysFail'], { cwd: app })
    expect(listed.code, listed.stderr).toBe(0)
    expect((JSON.parse(listed.stdout) as { failure: { payload: unknown } }[]).map((i) => i.failure.payload)).toEqual([{ id: 'a-1', units: 3 }])
    const from = dev.lines.length
    const replayed = await runBinAsync(['failures', 'replay', '--local', '--task', 'alwaysFail'], { cwd: app })
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(replayed.stdout.trim().split('\n').at(-1)).toBe('replayed 1, failed 0, skipped 0')
    const requestId = /→ request (\S+)$/m.exec(replayed.stdout)![1]!
    await dev.waitFor(attemptLine('alwaysFail', requestId), { from })
    // The old record is gone; the replayed event, failing again, will leave a new one.
    expect(records(app, 'alwaysFail').filter((r) => (r as { requestContext: { requestId?: string } }).requestContext.requestId !== requestId)).toEqual([])

    // A NonRetryable record comes back at once when replayed: the replay does not take it again.
    const before = records(app, 'strict').length
    const strict = await runBinAsync(['failures', 'replay', '--local', '--task', 'strict'], { cwd: app })
    expect(strict.stdout.trim().split('\n').at(-1)).toBe(`replayed ${before}, failed 0, skipped 0`)
    await expect.poll(() => records(app, 'strict').length).toBe(before)
  }, 30_000)

  it('invoke --local sends one event to dev, which runs it; a payload dev would reject is refused first', async () => {
    const from = dev.lines.length
    const sent = await runBinAsync(['invoke', 'jobs.succeed', '--local', '--payload', '{"id":"i-1"}'], { cwd: app })
    expect(sent.code, sent.stderr).toBe(0)
    const requestId = /^accepted: jobs\.succeed → request (\S+) \(function devapp-dev-jobs-succeed\)$/m.exec(sent.stdout)?.[1]
    expect(requestId, sent.stdout).toBeDefined()
    await dev.waitFor(attemptLine('succeed', requestId!), { from })
    await dev.waitFor((l) => l === 'jobs.succeed | ran i-1: hello from the config', { from })

    const refused = await runBinAsync(['invoke', 'jobs.succeed', '--local', '--payload', '{"id":7}'], { cwd: app })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('payload.id: expected string, got number 7')
  }, 30_000)

  it('picks up an edit to a handler without a restart; an invalid edit keeps the last good version serving', async () => {
    let from = dev.lines.length
    writeFileSync(join(app, 'src/edited.ts'), "export async function handler(): Promise<void> {\n  console.log('version 2')\n}\n")
    await dev.waitFor(/^✓ reloaded after a change to src\/edited\.ts: rebuilt jobs\/edited; client regenerated$/, { from })
    from = dev.lines.length
    await Task.jobs.edited()
    await dev.waitFor((l) => l === 'jobs.edited | version 2', { from })

    writeFileSync(join(app, 'src/edited.ts'), 'export async function handler(: void {\n')
    await expect.poll(() => dev.stderr(), { timeout: 20_000 }).toMatch(/the change to src\/edited\.ts was not loaded; the last good version keeps serving/)
    from = dev.lines.length
    await Task.jobs.edited()
    await dev.waitFor((l) => l === 'jobs.edited | version 2', { from })

    writeFileSync(join(app, 'src/edited.ts'), "export async function handler(): Promise<void> {\n  console.log('version 3')\n}\n")
    await dev.waitFor(/^✓ reloaded after a change to src\/edited\.ts: rebuilt jobs\/edited/, { from })
  }, 60_000)

  it('after a reload, events waiting for a worker run the new build on warm workers: cold starts stay near the concurrency (10), not the events', async () => {
    const version = (v: string) =>
      `console.log('cold start ${v}')\nexport async function handler(): Promise<void> {\n  await new Promise((resolve) => setTimeout(resolve, 200))\n  console.log('ran ${v}')\n}\n`
    let from = dev.lines.length
    writeFileSync(join(app, 'src/edited.ts'), version('a'))
    await dev.waitFor(/^✓ reloaded after a change to src\/edited\.ts: rebuilt jobs\/edited/, { from })
    from = dev.lines.length
    // Twenty seconds of work at the local concurrency of 10: most events still wait when the next build comes in, however slow the rebuild on a busy machine.
    await Promise.all(Array.from({ length: 1000 }, () => Task.jobs.edited()))
    writeFileSync(join(app, 'src/edited.ts'), version('b'))
    await dev.waitFor(/^✓ reloaded after a change to src\/edited\.ts: rebuilt jobs\/edited/, { from })
    const attempts = () => dev.lines.slice(from).filter((l) => /^jobs\.edited {2}attempt 1\/3 /.test(l)).length
    await expect.poll(attempts, { timeout: 120_000 }).toBe(1000)
    const lines = dev.lines.slice(from)
    expect(lines.filter((l) => /^jobs\.edited \| cold start [ab]$/.test(l)).length).toBeLessThanOrEqual(20)
    // The reload came while events waited: the first ones ran a, the rest b.
    expect(lines.filter((l) => l === 'jobs.edited | ran a').length).toBeGreaterThan(0)
    expect(lines.filter((l) => l === 'jobs.edited | ran b').length).toBeGreaterThan(0)
    expect(lines.filter((l) => l === 'jobs.edited | ran a').length + lines.filter((l) => l === 'jobs.edited | ran b').length).toBe(1000)
  }, 180_000)

  it('a change to task-gen.json reloads the tasks; an invalid one keeps the last good version', async () => {
    const configFile = join(app, 'task-gen.json')
    const original = readFileSync(configFile, 'utf8')
    let from = dev.lines.length
    writeFileSync(configFile, original.replace('hello from the config', 'hello again'))
    await dev.waitFor(/^✓ reloaded after a change to task-gen\.json: rebuilt jobs\/succeed; client regenerated$/, { from })
    await Task.jobs.succeed({ id: 'c-1' })
    await dev.waitFor((l) => l === 'jobs.succeed | ran c-1: hello again', { from })

    writeFileSync(configFile, original.replace('"retryAttempts": 0 },\n        "paused"', '"retryAttempts": 5 },\n        "paused"'))
    await expect
      .poll(() => dev.stderr(), { timeout: 20_000 })
      .toMatch(/stacks\.jobs\.tasks\.hungry\.retryAttempts: .*\n✗ the change to task-gen\.json was not loaded; the last good version keeps serving/)
    from = dev.lines.length
    await Task.jobs.succeed({ id: 'c-2' })
    await dev.waitFor((l) => l === 'jobs.succeed | ran c-2: hello again', { from })
    writeFileSync(configFile, original)
    await dev.waitFor(/^✓ reloaded after a change to task-gen\.json/, { from })
  }, 60_000)

  it('prints no colour codes when its output is not a terminal', () => {
    expect(dev.lines.filter((l) => l.includes('\u001b['))).toEqual([])
  })

  it('a change to a type the handlers use regenerates the client', async () => {
    const from = dev.lines.length
    writeFileSync(join(app, 'src/types.ts'), 'export interface Job {\n  id: string\n  units?: number\n  priority?: "high" | "low"\n}\n')
    // Every task whose payload is a Job is rebuilt: its wrapper validates against the new type.
    const line = await dev.waitFor(/^✓ reloaded after a change to src\/types\.ts: rebuilt /, { from })
    expect(line).toContain('jobs/succeed')
    expect(line).not.toContain('jobs/edited')
    expect(readFileSync(packageFile(join(app, '.task-gen/client'), 'index.d.ts'), 'utf8')).toContain('priority?: "high" | "low"')
  }, 30_000)
})

describe('stopping task-gen dev', () => {
  afterAll(removeTempDirs)

  it('stops at once while a retry waits (Lambda delays), says how many events it dropped, and exits 0', async () => {
    const app = copyDevApp()
    const dev = await startDev(app)
    const lambda = new LambdaClient({ endpoint: dev.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } })
    await lambda.send(new InvokeCommand({ FunctionName: 'devapp-dev-jobs-alwaysFail', InvocationType: 'Event', Payload: JSON.stringify({ id: 'w-1' }) }))
    await dev.waitFor(/^jobs\.alwaysFail {2}attempt 1\/3 /)
    const stopping = Date.now()
    expect(await dev.stop()).toBe(0)
    expect(Date.now() - stopping).toBeLessThan(10_000) // the next attempt was a minute away
    expect(dev.stderr()).toContain('task-gen dev: 1 event(s) were still running or waiting for a retry; they were dropped')
    expect(dev.lines.at(-1)).toBe('task-gen dev: stopped')
  }, 60_000)
})
