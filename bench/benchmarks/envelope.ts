import { eventOf } from '../../runtime/client/event-body.js'
import { serialize } from '../../runtime/client/invoke.js'
import { sha256Hex } from '../../runtime/payloads.js'
import { alternate } from '../lib/alternate.js'
import { importClientModule } from '../lib/client-package.js'
import { lambdaStats, type LambdaServer, type LambdaStats } from '../lib/lambda-api.js'
import { startLambdaServer } from '../lib/lambda-server.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'
import { samplePayload, sequential } from './invoke.js'

type Accepted = { requestId: string }
type TaskFn = (payload: unknown, options?: { idempotencyKey?: string }) => Promise<Accepted>
type ClientIndex = { Task: Record<string, Record<string, TaskFn>> }
/** The engine the generated package bundles (runtime/client/invoke.ts), as its runtime.js exports it. */
type ClientRuntime = {
  invokeTask(target: { manifest: unknown; stack: string; task: string; delivery?: { idempotencyKey?: string } }, payload: unknown): Promise<Accepted>
}
type LambdaSdk = typeof import('@aws-sdk/client-lambda')

export interface EnvelopePlan {
  /** Sequential calls per run and side. */
  calls: number
  runs: number
  /** Calls per side before anything is timed. @default 300 */
  warmup?: number
}

/** How the enveloped calls get their envelope (see benchEnvelope). */
export type EnvelopeMode = 'idempotencyKey option' | 'target delivery field'

/** What reached the Lambda-API server, per side: checked after every run, returned for the tests. */
export type EnvelopeWiring = Record<'rawSdk' | 'client' | 'enveloped', { invokes: number; eventBytes: number; lastEvent: unknown }> & { mode: EnvelopeMode }

/** The idempotency key every enveloped call carries. */
export const IDEMPOTENCY_KEY = 'k'

/**
 * The cost of the envelope on the invoke path: a raw `InvokeCommand` (the invoke benchmark's
 * baseline), the generated client's plain call (the payload is the event), and the same client's
 * call with an idempotency key (every call then sends `{ taskGenEnvelope: 1, payload, sentAt,
 * idempotencyKey }`), alternating, against one Lambda-API server. When the task is configured
 * with `"idempotency": {}` the key is the call's `{ idempotencyKey }` option, as an application
 * passes it; otherwise (a client of a task-gen whose calls take no key) the calls go through the
 * `invokeTask` of the package's own runtime.js with `delivery: { idempotencyKey }` on the task's
 * target. Either way the same code, the same shared LambdaClient and the same validation as the
 * plain calls: the difference is the envelope.
 */
export async function benchEnvelope(
  client: { dir: string; stack: string; task: string },
  plan: EnvelopePlan,
  results: Results,
  log: (line: string) => void,
  servers: { lambda?: LambdaServer } = {},
): Promise<EnvelopeWiring> {
  const lambda = servers.lambda ?? (await startLambdaServer())
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    TASK_GEN_STAGE: 'dev',
  })
  const sdk: LambdaSdk = await import('@aws-sdk/client-lambda')
  const raw = new sdk.LambdaClient({ region: 'us-east-1' })
  try {
    const index = await importClientModule<ClientIndex>(client.dir, 'index.js')
    const runtime = await importClientModule<ClientRuntime>(client.dir, 'runtime.js')
    const { manifest } = await importClientModule<{ manifest: { app: string } }>(client.dir, 'manifest.js')
    const call = index.Task[client.stack]![client.task]!
    const target = { manifest, stack: client.stack, task: client.task, delivery: { idempotencyKey: IDEMPOTENCY_KEY } }
    const spec = (manifest as unknown as { stacks: Record<string, Record<string, { idempotency?: true }>> }).stacks[client.stack]![client.task]!
    const mode: EnvelopeMode = spec.idempotency ? 'idempotencyKey option' : 'target delivery field'
    const functionName = `${manifest.app}-dev-${client.stack}-${client.task}`
    const sides = {
      rawSdk: (i: number) =>
        raw.send(new sdk.InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify(samplePayload(i)) })),
      client: (i: number) => call(samplePayload(i)),
      enveloped:
        mode === 'idempotencyKey option'
          ? (i: number) => call(samplePayload(i), { idempotencyKey: IDEMPOTENCY_KEY })
          : (i: number) => runtime.invokeTask(target, samplePayload(i)),
    }
    const wiring = {
      mode,
      ...Object.fromEntries(Object.keys(sides).map((side) => [side, { invokes: 0, eventBytes: 0, lastEvent: undefined }])),
    } as EnvelopeWiring
    log(`  the enveloped calls carry their key by the ${mode}`)

    // CPU time of this process (the calling side; the server runs in its own) per call, each run: steadier than wall time on a shared machine.
    const cpuPerCall = Object.fromEntries(Object.keys(sides).map((side) => [side, [] as number[]])) as Record<keyof typeof sides, number[]>
    /** Runs one side; then, untimed, checks at the server that each call arrived and was the event that side sends. */
    const run = async (side: keyof typeof sides, calls: number): Promise<number> => {
      const before = await lambdaStats(lambda.endpoint)
      const cpu = process.cpuUsage()
      const perCall = await sequential(calls, sides[side])
      const { user, system } = process.cpuUsage(cpu)
      cpuPerCall[side].push((user + system) / calls)
      const after = await lambdaStats(lambda.endpoint)
      checkEvents(side, calls, before, after)
      wiring[side].invokes += after.invokes - before.invokes
      wiring[side].eventBytes = (after.bytes - before.bytes) / (after.invokes - before.invokes)
      wiring[side].lastEvent = JSON.parse(after.last)
      return perCall
    }

    // Warm every side (SDK loaded, connections open, code optimized) before anything is timed.
    for (const side of Object.keys(sides) as (keyof typeof sides)[]) await run(side, plan.warmup ?? 300)
    for (const side of Object.keys(sides) as (keyof typeof sides)[]) cpuPerCall[side].length = 0
    const samples = await alternate(
      (Object.keys(sides) as (keyof typeof sides)[]).map((side) => ({ name: `envelope.${side}.perCall`, run: () => run(side, plan.calls) })),
      plan.runs,
      (name, us) => log(`  ${name}: ${us.toFixed(0)} µs/call`),
    )
    for (const [name, values] of samples) results.measurements[name] = summarize(values, 'µs/call')
    for (const side of Object.keys(sides) as (keyof typeof sides)[]) {
      results.measurements[`envelope.${side}.cpuPerCall`] = summarize(cpuPerCall[side], 'µs/call')
      results.measurements[`envelope.${side}.eventBytes`] = summarize([wiring[side].eventBytes], 'B')
    }
    results.notes.push(
      mode === 'idempotencyKey option'
        ? 'envelope: raw, plain and enveloped calls go to one task, configured with `"idempotency": {}`; the enveloped calls pass `{ idempotencyKey }`.'
        : "envelope: raw, plain and enveloped calls go to one task; the enveloped calls go through the client's `invokeTask` with `delivery: { idempotencyKey }` on the target.",
    )
    envelopeSteps(client.task, results, log)
    log(`  event size: plain ${wiring.client.eventBytes.toFixed(0)} B, enveloped ${wiring.enveloped.eventBytes.toFixed(0)} B`)
    return wiring
  } finally {
    raw.destroy()
    if (!servers.lambda) await lambda.stop()
  }
}

function checkEvents(side: string, calls: number, before: LambdaStats, after: LambdaStats): void {
  const invokes = after.invokes - before.invokes
  if (invokes !== calls) throw new Error(`envelope benchmark, ${side}: ${calls} calls reached the Lambda-API server as ${invokes} invokes`)
  const event = JSON.parse(after.last) as Record<string, unknown>
  const enveloped = side === 'enveloped'
  const ok = enveloped
    ? event.taskGenEnvelope === 1 && event.idempotencyKey === IDEMPOTENCY_KEY && typeof event.sentAt === 'string' && typeof event.payload === 'object'
    : !('taskGenEnvelope' in event) && typeof event.requestId === 'string'
  if (!ok)
    throw new Error(`envelope benchmark, ${side}: the server received ${after.last.slice(0, 200)}, not ${enveloped ? 'an envelope' : 'the plain payload'}`)
}

/**
 * The steps an enveloped call takes that a plain one does not, each timed alone with the
 * runtime's own functions (prepareInvoke's sequence, runtime/client/invoke.ts): sealing the
 * envelope, serializing it (the payload a second time: the plain call sends the serialization it
 * already made for the size check), and the key's SHA-256 (the schedule name and FIFO
 * deduplication id it derives, made for every keyed call); beside the one serialization every
 * call makes. µs per call, median of 7 rounds of 20,000.
 */
function envelopeSteps(task: string, results: Results, log: (line: string) => void): void {
  const payload = samplePayload(1)
  const fields = { idempotencyKey: IDEMPOTENCY_KEY }
  const sealed = eventOf(payload, fields)
  const encoder = new TextEncoder()
  const steps: Record<string, () => unknown> = {
    serializePayload: () => serialize(payload),
    seal: () => eventOf(payload, fields),
    serializeEnvelope: () => serialize(sealed),
    keyDigest: () => sha256Hex(encoder.encode(`${task}\n${IDEMPOTENCY_KEY}`)),
  }
  const rounds = 7
  const perRound = 20_000
  for (const [step, fn] of Object.entries(steps)) {
    const samples: number[] = []
    for (let round = 0; round < rounds; round++) {
      const started = performance.now()
      for (let i = 0; i < perRound; i++) fn()
      samples.push(((performance.now() - started) * 1000) / perRound)
    }
    results.measurements[`envelope.step.${step}`] = summarize(samples, 'µs')
  }
  const m = (step: string) => results.measurements[`envelope.step.${step}`]!.median.toFixed(2)
  log(
    `  enveloped call's own steps: seal ${m('seal')} µs, serialize the envelope ${m('serializeEnvelope')} µs, key SHA-256 ${m('keyDigest')} µs (a plain call serializes once: ${m('serializePayload')} µs)`,
  )
}
