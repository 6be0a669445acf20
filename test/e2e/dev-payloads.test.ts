import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFixtureApp, localRecords, startDev, type DevProcess } from '../helpers/dev-process.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { removeTempDirs } from '../helpers/temp.js'

type Blob = { id: string; data: string; fail?: boolean }
type DevClient = { Task: { blobs: { digest: (payload: Blob) => Promise<{ requestId: string }> } } }
/** What the handler prints of each payload it gets. */
type Seen = { id: string; sha256: string; length: number; ownS3: string | null }

const BUCKET = 'payapp-dev-payloads'
const FAILURES = 'payapp-dev-blobs-digest-failures'
/** Where the handler's own S3 calls go, as the developer's shell says: a port nothing listens on, so a payload read sent there would fail. */
const OWN_S3 = 'http://127.0.0.1:9'

/** A payload of about `bytes` bytes of JSON, of random text (so no two are alike). */
function blob(id: string, bytes: number, extra: Partial<Blob> = {}): Blob {
  return { id, data: randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64'), ...extra }
}

const digestOf = (payload: unknown) => {
  const text = JSON.stringify(payload)
  return { sha256: createHash('sha256').update(text).digest('hex'), length: text.length }
}

/** The handler's lines about payload `id`, from `from` on. */
function seen(dev: DevProcess, id: string, from = 0): Seen[] {
  return dev.lines
    .slice(from)
    .filter((l) => l.startsWith('blobs.digest | {'))
    .map((l) => JSON.parse(l.slice('blobs.digest | '.length)) as Seen)
    .filter((s) => s.id === id)
}

/** The objects in dev's payload bucket, on disk (none before the first upload made the folder). */
function objectCount(app: string): number {
  const dir = join(app, '.task-gen/dev/payloads', BUCKET)
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.object')).length : 0
}

describe('large payloads in task-gen dev: the client offloads to dev, the task reads them back', () => {
  let app: string
  let dev: DevProcess
  let Task: DevClient['Task']

  beforeAll(async () => {
    app = copyFixtureApp('dev-payloads-app')
    // The developer's own S3 endpoint reaches the workers (as AWS_ENDPOINT_URL_S3 does in Lambda's place); payload reads must not use it.
    dev = await startDev(app, [], { AWS_ENDPOINT_URL_S3: OWN_S3, AWS_ENDPOINT_URL: OWN_S3 })
    // The application: the unchanged client, with every AWS call pointed at dev.
    Object.assign(process.env, { AWS_ENDPOINT_URL: dev.endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' })
    ;({ Task } = (await import(pathToFileURL(join(app, '.task-gen/client/index.js')).href)) as DevClient)
  }, 90_000)

  afterAll(async () => {
    await dev?.stop()
    removeTempDirs()
  })

  it('says at start that it serves the payload bucket, and where', () => {
    expect(dev.lines).toContain(`It serves the payload bucket ${BUCKET} too: AWS_ENDPOINT_URL_S3=${dev.endpoint} (or AWS_ENDPOINT_URL for all)`)
  })

  it("a 5 MB payload sent with the generated client reaches the handler whole; the handler's own S3 endpoint is the shell's", async () => {
    const payload = blob('five-mb', 5 * 1024 * 1024)
    expect(JSON.stringify(payload).length).toBeGreaterThan(5 * 1024 * 1024)
    const before = objectCount(app)
    await Task.blobs.digest(payload)
    await expect.poll(() => seen(dev, 'five-mb').length, { timeout: 30_000 }).toBe(1)
    expect(seen(dev, 'five-mb')[0]).toEqual({ id: 'five-mb', ...digestOf(payload), ownS3: OWN_S3 })
    // It travelled by reference: stored once in dev's bucket, on disk.
    expect(objectCount(app)).toBe(before + 1)
  }, 60_000)

  it('a payload under offloadAbove still travels inline', async () => {
    const payload = blob('small', 1000)
    const before = objectCount(app)
    await Task.blobs.digest(payload)
    await expect.poll(() => seen(dev, 'small').length, { timeout: 30_000 }).toBe(1)
    expect(seen(dev, 'small')[0]).toMatchObject(digestOf(payload))
    expect(objectCount(app)).toBe(before)
  }, 60_000)

  it('a refused offloaded event is listed by `failures list --local`, and after a dev restart `failures replay --local` delivers it whole again', async () => {
    const payload = blob('refused', 300 * 1024, { fail: true })
    const expected = digestOf(payload)
    await Task.blobs.digest(payload)
    await expect.poll(() => localRecords(app, FAILURES).length, { timeout: 30_000 }).toBe(1)
    expect(seen(dev, 'refused')).toEqual([{ id: 'refused', ...expected, ownS3: OWN_S3 }])
    // The record keeps the reference, not the payload; the on-failure handler gets the payload whole.
    expect(JSON.stringify(localRecords(app, FAILURES)[0]!.requestPayload).length).toBeLessThan(2000)
    const onFailure = await dev.waitFor((l) => l.startsWith('on-failure | ') && l.includes('"refused"'), { timeoutMs: 30_000 })
    expect(JSON.parse(onFailure.slice('on-failure | '.length))).toEqual({ onFailure: 'refused', sha256: expected.sha256 })

    const listed = await runBinAsync(['failures', 'list', '--local', '--json'], { cwd: app })
    expect(listed.code, listed.stderr).toBe(0)
    const failures = JSON.parse(listed.stdout) as { failure: { condition: string; payloadRef?: { bucket: string; bytes: number; sha256: string } } }[]
    expect(failures).toHaveLength(1)
    expect(failures[0]!.failure).toMatchObject({ condition: 'NonRetryable', payloadRef: { bucket: BUCKET, bytes: expected.length } })
    const plain = await runBinAsync(['failures', 'list', '--local'], { cwd: app })
    expect(plain.stdout).toContain(`payload s3://${BUCKET}/payapp/dev/blobs/digest/`)

    // The stored payload outlives dev: a new dev (on another port) serves it from the same folder.
    expect(await dev.stop()).toBe(0)
    dev = await startDev(app, [], { AWS_ENDPOINT_URL_S3: OWN_S3, AWS_ENDPOINT_URL: OWN_S3 })
    const replayed = await runBinAsync(['failures', 'replay', '--local'], { cwd: app })
    expect(replayed.code, `${replayed.stdout}\n${replayed.stderr}`).toBe(0)
    expect(replayed.stdout).toMatch(/replayed 1, failed 0, skipped 0/)
    await expect.poll(() => seen(dev, 'refused').length, { timeout: 30_000 }).toBe(1)
    expect(seen(dev, 'refused')[0]).toEqual({ id: 'refused', ...expected, ownS3: OWN_S3 })
    // Refused again: a new record, the replayed one deleted.
    await expect.poll(() => localRecords(app, FAILURES).length, { timeout: 30_000 }).toBe(1)
  }, 150_000)

  it('a local dry run without a running dev skips an offloaded record and says why', async () => {
    expect(await dev.stop()).toBe(0)
    const dry = await runBinAsync(['failures', 'replay', '--local', '--dry-run'], { cwd: app })
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/- skipped {2}blobs\.digest .*its payload is stored in the payload bucket of `task-gen dev`, and it is not running/)
    expect(dry.stdout).toMatch(/would skip 1/)
  }, 60_000)
})
