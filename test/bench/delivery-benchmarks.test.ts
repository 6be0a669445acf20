// The wiring of the envelope and offload benchmarks (bench/benchmarks/envelope.ts, offload.ts), run
// with a handful of calls against moto and an in-process Lambda-API server: every side really
// invoked (and, for offload, stored an object first), and sent the event it is meant to. Never timing.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFFLOAD_APP, writeOffloadApp } from '../../bench/app/offload-app.js'
import { writeSyntheticApp } from '../../bench/app/synthetic-app.js'
import { benchEnvelope, IDEMPOTENCY_KEY } from '../../bench/benchmarks/envelope.js'
import { benchOffload } from '../../bench/benchmarks/offload.js'
import { lambdaStats, listenInProcess, type LambdaServer } from '../../bench/lib/lambda-api.js'
import { emptyResults } from '../../bench/lib/results.js'
import { payloadBucketName } from '../../runtime/payloads.js'
import { generateInRepo, type GeneratedInRepo } from '../helpers/generated-shop.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const saved = { ...process.env }
let lambda: LambdaServer
let moto: MotoServer
const generated: GeneratedInRepo[] = []

beforeAll(async () => {
  lambda = await listenInProcess()
  moto = await startMoto()
}, 60_000)

afterAll(async () => {
  process.env = saved
  for (const client of generated) client.remove()
  await lambda?.stop()
  await moto?.stop()
  removeTempDirs()
})

describe('the delivery benchmarks (issue 18)', () => {
  it('envelope: the raw SDK, the plain call and the call with { idempotencyKey } each invoke once per call, the keyed ones with an envelope', async () => {
    const app = writeSyntheticApp({ dir: join(tempDir('bench-envelope'), 'app'), tasks: 2, idempotentTasks: 1 })
    const client = await generateInRepo(app.configFile, 'bench-envelope')
    generated.push(client)
    const task = app.tasks[0]!
    const before = await lambdaStats(lambda.endpoint)
    const results = emptyResults()
    const wiring = await benchEnvelope({ dir: client.dir, stack: task.stack, task: task.name }, { calls: 3, runs: 2, warmup: 1 }, results, () => {}, { lambda })

    // 1 warm-up call and 2 runs of 3, for each of the three sides.
    expect(wiring.mode).toBe('idempotencyKey option')
    expect((await lambdaStats(lambda.endpoint)).invokes - before.invokes).toBe(3 * 7)
    for (const side of ['rawSdk', 'client', 'enveloped'] as const) expect(wiring[side].invokes).toBe(7)
    expect(wiring.enveloped.lastEvent).toMatchObject({ taskGenEnvelope: 1, idempotencyKey: IDEMPOTENCY_KEY, payload: { requestId: 'req-2' } })
    expect(wiring.client.lastEvent).toMatchObject({ requestId: 'req-2' })
    expect(wiring.client.lastEvent).not.toHaveProperty('taskGenEnvelope')
    expect(wiring.enveloped.eventBytes).toBeGreaterThan(wiring.client.eventBytes)
    expect(Object.keys(results.measurements)).toEqual(
      expect.arrayContaining(['envelope.rawSdk.perCall', 'envelope.client.perCall', 'envelope.enveloped.perCall']),
    )
  }, 120_000)

  it('offload: the client and the hand-written baseline each store one object in the payload bucket and invoke with a small reference, per call', async () => {
    const app = writeOffloadApp(join(tempDir('bench-offload'), 'app'))
    const client = await generateInRepo(app.configFile, 'bench-offload')
    generated.push(client)
    const before = await lambdaStats(lambda.endpoint)
    const results = emptyResults()
    // 400 kB: over the app's offloadAbove (256 KB), small enough for a quick test.
    const wiring = await benchOffload(client.dir, { calls: 2, runs: 1, payloadBytes: 400_000, distinctPayloads: 2, warmup: 1 }, results, () => {}, {
      lambda,
      s3Endpoint: moto.endpoint,
    })

    const sides = ['client', 'handWritten', 'clientUnvalidated', 'handWrittenBytes'] as const
    expect((await lambdaStats(lambda.endpoint)).invokes - before.invokes).toBe(sides.length * 3)
    for (const side of sides) {
      expect(wiring[side]).toMatchObject({ calls: 3, objects: 3, invokes: 3 })
      for (const bytes of wiring[side].objectBytes) expect(bytes).toBeGreaterThanOrEqual(400_000)
      expect(wiring[side].largestEvent).toBeLessThan(1024)
    }
    const bucket = payloadBucketName(OFFLOAD_APP.app, OFFLOAD_APP.stage)
    expect(wiring.client.lastEvent).toMatchObject({
      taskGenEnvelope: 1,
      payloadRef: { bucket, key: expect.stringMatching(/^bench\/dev\/imports\/importCatalog\//) },
    })
    expect(wiring.handWritten.lastEvent).toEqual({ bucket, key: expect.stringMatching(/^bench\/dev\/imports\/importCatalog\/.+\.json$/) })
    // The benchmark deletes what each run stored.
    const s3 = new S3Client({
      region: OFFLOAD_APP.region,
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    })
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0)
    s3.destroy()
    expect(results.measurements['offload.client.MBps']?.runs).toBe(1)
  }, 120_000)
})
