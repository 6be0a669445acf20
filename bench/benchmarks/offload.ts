import { createHash, randomUUID } from 'node:crypto'
import { catalogPayload, OFFLOAD_APP } from '../app/offload-app.js'
import { alternate } from '../lib/alternate.js'
import { importClientModule } from '../lib/client-package.js'
import { lambdaStats, type LambdaServer } from '../lib/lambda-api.js'
import { startLambdaServer } from '../lib/lambda-server.js'
import { startMoto } from '../lib/moto.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'
import { taskFunctionName } from '../../runtime/names.js'
import { payloadBucketName, payloadKeyPrefix } from '../../runtime/payloads.js'

type Accepted = { requestId: string }
type TaskFn = (payload: unknown, options?: { validate?: boolean }) => Promise<Accepted>
type ClientIndex = { Task: Record<string, Record<string, TaskFn>> }
type ClientRuntime = {
  validate(schema: unknown, defs: unknown, payload: unknown): unknown[]
  taskManifest(manifest: unknown, stack: string, task: string): { payload: unknown } | undefined
}
type S3Sdk = typeof import('@aws-sdk/client-s3')
type LambdaSdk = typeof import('@aws-sdk/client-lambda')

export interface OffloadPlan {
  /** Sequential calls per run and side. */
  calls: number
  runs: number
  /** Size of each payload's JSON text. */
  payloadBytes: number
  /** Distinct payloads, used in turn by every side. @default 4 */
  distinctPayloads?: number
  /** Calls per side before anything is timed. @default 2 */
  warmup?: number
}

const SIDES = ['client', 'handWritten', 'clientUnvalidated', 'handWrittenBytes'] as const
type Side = (typeof SIDES)[number]

/** What reached S3 and the Lambda-API server, per side: checked after every run, returned for the tests. */
export type OffloadWiring = Record<Side, { calls: number; objects: number; objectBytes: number[]; invokes: number; largestEvent: number; lastEvent: unknown }>

/**
 * Offload throughput: the generated client's call of a task whose app has `"payloads"` (each call
 * stores the payload's JSON in the payload bucket, then invokes with a reference), beside the same
 * work by hand over the bare SDK (`PutObject` of `JSON.stringify(payload)` under a random key,
 * then an `InvokeCommand` whose payload is `{ bucket, key }`); and, to tell where a difference
 * goes, the client with `validate: false` and the hand-written side sending the text's UTF-8
 * bytes (as the client does) instead of the string. Sequential calls, alternating, the same
 * payloads, against one moto (S3) and one Lambda-API server. After every run (untimed) each side's
 * objects and invokes are counted at the servers, the last event is checked to reference a stored
 * object, and the objects are deleted. Then the client's own steps are timed alone on one payload.
 */
export async function benchOffload(
  clientDir: string,
  plan: OffloadPlan,
  results: Results,
  log: (line: string) => void,
  servers: { lambda?: LambdaServer; s3Endpoint?: string } = {},
): Promise<OffloadWiring> {
  const moto = servers.s3Endpoint ? undefined : await startMoto()
  const s3Endpoint = servers.s3Endpoint ?? moto!.endpoint
  let lambda: LambdaServer | undefined
  const cleanUp: (() => void)[] = []
  try {
    lambda = servers.lambda ?? (await startLambdaServer())
    const lambdaEndpoint = lambda.endpoint
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: OFFLOAD_APP.region,
      TASK_GEN_STAGE: OFFLOAD_APP.stage,
    })
    const s3Sdk: S3Sdk = await import('@aws-sdk/client-s3')
    const lambdaSdk: LambdaSdk = await import('@aws-sdk/client-lambda')
    const bucket = payloadBucketName(OFFLOAD_APP.app, OFFLOAD_APP.stage)
    const prefix = payloadKeyPrefix(OFFLOAD_APP)
    // The bench's own S3 client, to create the bucket and count and delete objects: never a contender's.
    const admin = new s3Sdk.S3Client({ region: OFFLOAD_APP.region, endpoint: s3Endpoint, forcePathStyle: true })
    cleanUp.push(() => admin.destroy())
    await admin.send(new s3Sdk.CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou') throw error
    })

    // The hand-written side: default SDK clients, path-style for the local endpoint (as the client's runtime does).
    const s3 = new s3Sdk.S3Client({ region: OFFLOAD_APP.region, forcePathStyle: true })
    const rawLambda = new lambdaSdk.LambdaClient({ region: OFFLOAD_APP.region })
    cleanUp.push(
      () => s3.destroy(),
      () => rawLambda.destroy(),
    )
    const functionName = taskFunctionName(OFFLOAD_APP)
    /** The JSON text as the body (the baseline), or as its UTF-8 bytes with their length, as the client's runtime sends it (not a target). */
    const byHand = async (payload: unknown, asBytes = false) => {
      const key = `${prefix}${randomUUID()}.json`
      const text = JSON.stringify(payload)
      const body = asBytes ? { Body: new TextEncoder().encode(text), ContentLength: Buffer.byteLength(text) } : { Body: text }
      await s3.send(new s3Sdk.PutObjectCommand({ Bucket: bucket, Key: key, ...body, ContentType: 'application/json' }))
      await rawLambda.send(new lambdaSdk.InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify({ bucket, key }) }))
    }

    const index = await importClientModule<ClientIndex>(clientDir, 'index.js')
    const call = index.Task[OFFLOAD_APP.stack]![OFFLOAD_APP.task]!
    const payloads = Array.from({ length: plan.distinctPayloads ?? 4 }, (_, seed) => catalogPayload(seed, plan.payloadBytes))
    const sizes = payloads.map((payload) => Buffer.byteLength(JSON.stringify(payload)))
    const sides: Record<Side, (i: number) => Promise<unknown>> = {
      client: (i) => call(payloads[i % payloads.length]),
      handWritten: (i) => byHand(payloads[i % payloads.length]),
      clientUnvalidated: (i) => call(payloads[i % payloads.length], { validate: false }),
      handWrittenBytes: (i) => byHand(payloads[i % payloads.length], true),
    }
    const wiring = Object.fromEntries(
      SIDES.map((side) => [side, { calls: 0, objects: 0, objectBytes: [] as number[], invokes: 0, largestEvent: 0, lastEvent: undefined as unknown }]),
    ) as OffloadWiring

    // CPU time of this process (the calling side; moto and the Lambda-API server run in their own) per call, each run.
    const cpuMsPerCall = Object.fromEntries(SIDES.map((side) => [side, [] as number[]])) as Record<Side, number[]>
    const listKeys = async (): Promise<{ key: string; size: number }[]> => {
      const listed = await admin.send(new s3Sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
      return (listed.Contents ?? []).map((object) => ({ key: object.Key!, size: object.Size! }))
    }

    /** One run of `side`: `calls` sequential calls, timed; then, untimed, what reached the servers is checked and the objects deleted. */
    const run = async (side: Side, calls: number): Promise<number> => {
      const before = await lambdaStats(lambdaEndpoint)
      const cpu = process.cpuUsage()
      const started = performance.now()
      for (let i = 0; i < calls; i++) await sides[side](i)
      const seconds = (performance.now() - started) / 1000
      const { user, system } = process.cpuUsage(cpu)
      cpuMsPerCall[side].push((user + system) / 1000 / calls)
      const after = await lambdaStats(lambdaEndpoint)
      const objects = await listKeys()
      const invokes = after.invokes - before.invokes
      const fail = (why: string) => new Error(`offload benchmark, ${side}: ${calls} calls ${why}`)
      if (objects.length !== calls) throw fail(`stored ${objects.length} objects under s3://${bucket}/${prefix}`)
      if (invokes !== calls) throw fail(`reached the Lambda-API server as ${invokes} invokes`)
      if (objects.some((object) => !sizes.includes(object.size)))
        throw fail(`stored objects of ${objects.map((o) => o.size).join(', ')} bytes, not the payloads' ${sizes.join(', ')}`)
      const event = JSON.parse(after.last || 'null') as { key?: string; payloadRef?: { key?: string } } | null
      const referenced = event?.payloadRef?.key ?? event?.key
      if (!objects.some((object) => object.key === referenced)) throw fail(`ended with an event that references no stored object: ${after.last.slice(0, 300)}`)
      const record = wiring[side]
      record.calls += calls
      record.objects += objects.length
      record.objectBytes.push(...objects.map((object) => object.size))
      record.invokes += invokes
      record.largestEvent = Math.max(record.largestEvent, after.largest)
      record.lastEvent = event
      for (const { key } of objects) await admin.send(new s3Sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }))
      return seconds
    }

    for (const side of SIDES) await run(side, plan.warmup ?? 2)
    for (const side of SIDES) cpuMsPerCall[side].length = 0
    const samples = await alternate(
      SIDES.map((side) => ({ name: side, run: () => run(side, plan.calls) })),
      plan.runs,
      (side, seconds) =>
        log(`  offload.${side}: ${((plan.calls * mean(sizes)) / seconds / 1e6).toFixed(1)} MB/s, ${(plan.calls / seconds).toFixed(1)} calls/s`),
    )
    const bytesPerCall = mean(sizes)
    for (const [side, seconds] of samples) {
      results.measurements[`offload.${side}.MBps`] = summarize(
        seconds.map((s) => (plan.calls * bytesPerCall) / s / 1e6),
        'MB/s',
      )
      results.measurements[`offload.${side}.callsPerSecond`] = summarize(
        seconds.map((s) => plan.calls / s),
        'calls/s',
      )
    }
    for (const side of SIDES) results.measurements[`offload.${side}.cpuPerCall`] = summarize(cpuMsPerCall[side], 'ms')
    results.measurements['offload.payloadBytes'] = summarize(sizes, 'B')
    await clientSteps(clientDir, payloads[0]!, results, log)
    return wiring
  } finally {
    for (const step of cleanUp) step()
    if (lambda && !servers.lambda) await lambda.stop()
    await moto?.stop()
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Each step the client takes on a payload that the hand-written side does not (or does once too), timed alone: ms per payload, median of 9. */
async function clientSteps(clientDir: string, payload: unknown, results: Results, log: (line: string) => void): Promise<void> {
  const runtime = await importClientModule<ClientRuntime>(clientDir, 'runtime.js')
  const { manifest } = await importClientModule<{ manifest: { defs: unknown } }>(clientDir, 'manifest.js')
  const spec = runtime.taskManifest(manifest, OFFLOAD_APP.stack, OFFLOAD_APP.task)!
  const text = JSON.stringify(payload)
  const bytes = new TextEncoder().encode(text)
  const steps: Record<string, () => unknown> = {
    validate: () => {
      const issues = runtime.validate(spec.payload, manifest.defs, payload)
      if (issues.length > 0) throw new Error(`the offload benchmark's payload does not match its type: ${JSON.stringify(issues.slice(0, 3))}`)
    },
    stringify: () => JSON.stringify(payload),
    encode: () => new TextEncoder().encode(text),
    sha256: () => createHash('sha256').update(bytes).digest('hex'),
  }
  for (const [step, fn] of Object.entries(steps)) {
    const times: number[] = []
    for (let i = 0; i < 9; i++) {
      const started = performance.now()
      fn()
      times.push(performance.now() - started)
    }
    results.measurements[`offload.step.${step}`] = summarize(times, 'ms')
  }
  const m = (step: string) => results.measurements[`offload.step.${step}`]!.median.toFixed(1)
  log(
    `  client's steps per payload: validate ${m('validate')} ms, JSON.stringify ${m('stringify')} ms, TextEncoder ${m('encode')} ms, SHA-256 ${m('sha256')} ms`,
  )
}
