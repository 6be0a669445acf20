import { createHash, randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { connect } from 'node:net'
import { join, relative } from 'node:path'
import { Readable } from 'node:stream'
import { crc32 as zlibCrc32 } from 'node:zlib'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crc32, crc32c, tableCrc32 } from '../../generator/dev/body-checksums.js'
import { startLambdaApi, type LambdaApi } from '../../generator/dev/lambda-api.js'
import { objectFile, payloadObjectsDir } from '../../generator/dev/payload-objects.js'
import type { S3Target } from '../../generator/dev/s3-api.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const BUCKET = 'app-dev-payloads'
const MAX_PAYLOAD = 64 * 1024
/** What dev takes past the app's maxSize before it refuses (a backstop: the client refuses first). */
const SLACK = 1024 * 1024

let root: string
let dir: string
let api: LambdaApi
let s3: S3Client

const target = (): S3Target => ({ bucket: () => ({ name: BUCKET, dir, maxPayloadBytes: MAX_PAYLOAD }) })
const client = (endpoint: string) =>
  new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'dev', secretAccessKey: 'dev' }, maxAttempts: 1 })

beforeAll(async () => {
  root = tempDir('s3-api')
  dir = payloadObjectsDir(root, BUCKET)
  api = await startLambdaApi(0, { lambda: () => undefined, s3: target() })
  s3 = client(api.endpoint)
})
afterAll(async () => {
  s3?.destroy()
  await api?.close()
  removeTempDirs()
})

const md5 = (body: Uint8Array | string) => createHash('md5').update(body).digest('hex')
const crc32Base64 = (body: Uint8Array) => {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(zlibCrc32(body))
  return bytes.toString('base64')
}
const get = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray()

/** Every file under the project folder, relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
}

describe("dev's payload bucket, through the AWS SDK's S3Client", () => {
  it('stores a Uint8Array and gives it back equal, with S3 ETag and the CRC32 the SDK sent echoed', async () => {
    const body = randomBytes(200_000)
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'app/dev/s/t/one.json', Body: body, ContentType: 'application/json' }))
    expect(put.ETag).toBe(`"${md5(body)}"`)
    expect(put.ChecksumCRC32).toBe(crc32Base64(body))
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'app/dev/s/t/one.json' }))
    expect(got).toMatchObject({ ContentType: 'application/json', ContentLength: body.length, ETag: `"${md5(body)}"`, ChecksumCRC32: crc32Base64(body) })
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true)
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'app/dev/s/t/one.json' }))
    expect(head).toMatchObject({ ContentLength: body.length, ETag: `"${md5(body)}"` })
  })

  it('stores a string, and an empty body', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'text', Body: '{"hello":"wörld"}' }))
    expect(new TextDecoder().decode(await get('text'))).toBe('{"hello":"wörld"}')
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'empty', Body: '' }))
    expect((await get('empty')).byteLength).toBe(0)
  })

  it('decodes a streamed upload (aws-chunked, with its CRC32 in the trailer)', async () => {
    const body = randomBytes(300_000)
    const stream = Readable.from([body.subarray(0, 100_000), body.subarray(100_000)])
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed', Body: stream, ContentLength: body.length }))
    expect(put.ChecksumCRC32).toBe(crc32Base64(body))
    expect(Buffer.from(await get('streamed')).equals(body)).toBe(true)
  })

  it('replaces an object stored again under the same key', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'again', Body: 'first' }))
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'again', Body: 'second' }))
    expect(new TextDecoder().decode(await get('again'))).toBe('second')
  })

  it("answers a missing key with S3's NoSuchKey, in S3's XML with a request id", async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    })
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } })
    const raw = await fetch(`${api.endpoint}/${BUCKET}/missing`)
    expect(raw.status).toBe(404)
    expect(raw.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/)
    expect(await raw.text()).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><Key>missing<\/Key><RequestId>/,
    )
  })

  it('has no bucket but the payload bucket: any other is NoSuchBucket, and nothing is stored', async () => {
    await expect(s3.send(new PutObjectCommand({ Bucket: 'someone-elses-bucket', Key: 'k', Body: 'x' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    })
    await expect(s3.send(new GetObjectCommand({ Bucket: 'someone-elses-bucket', Key: 'k' }))).rejects.toMatchObject({ name: 'NoSuchBucket' })
    expect(filesUnder(root).every((file) => file.startsWith(join('.task-gen', 'dev', 'payloads', BUCKET)))).toBe(true)
  })

  it('keeps every key inside its folder, however it looks: "..", "/", NUL, a leading slash', async () => {
    const keys = ['../../escape.json', '../../../../../../tmp/escape', 'a/../../b', '/leading', 'nul\0byte', '..', '.']
    for (const [i, key] of keys.entries()) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body ${i}` }))
    for (const [i, key] of keys.entries()) expect(new TextDecoder().decode(await get(key)), key).toBe(`body ${i}`)
    const files = filesUnder(root)
    for (const key of keys) expect(files).toContain(relative(root, objectFile(dir, key)))
    // Each object is one file directly in the bucket's folder, and nothing is written beside it.
    for (const file of files) expect(file).toMatch(new RegExp(`^\\.task-gen/dev/payloads/${BUCKET}/[0-9a-f]{64}\\.object$`))
  })

  it('refuses a body over the limit with EntityTooLarge: by its Content-Length before reading it, and by its bytes when it is streamed', async () => {
    const tooLarge = randomBytes(MAX_PAYLOAD + SLACK + 1)
    await expect(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'too-large', Body: tooLarge }))).rejects.toMatchObject({
      name: 'EntityTooLarge',
      $metadata: { httpStatusCode: 400 },
    })
    // Sent chunked, with no length announced: refused once the bytes pass the limit.
    const chunked = await fetch(`${api.endpoint}/${BUCKET}/too-large`, {
      method: 'PUT',
      body: Readable.toWeb(Readable.from([tooLarge.subarray(0, SLACK), tooLarge.subarray(SLACK)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(400)
    expect(await chunked.text()).toContain('<Code>EntityTooLarge</Code>')
    await expect(get('too-large')).rejects.toMatchObject({ name: 'NoSuchKey' })
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses a body whose checksum does not match, as a header or as an aws-chunked trailer, and stores nothing', async () => {
    const body = Buffer.from('{"payload":"as sent"}')
    const wrong = crc32Base64(Buffer.from('something else'))
    const plain = await fetch(`${api.endpoint}/${BUCKET}/bad-checksum?x-id=PutObject`, {
      method: 'PUT',
      body,
      headers: { 'x-amz-checksum-crc32': wrong, 'x-amz-sdk-checksum-algorithm': 'CRC32' },
    })
    expect(plain.status).toBe(400)
    expect(await plain.text()).toContain('<Code>BadDigest</Code><Message>The CRC32 you specified did not match the calculated checksum.</Message>')
    const encoded = `${body.length.toString(16)}\r\n${body}\r\n0\r\nx-amz-checksum-crc32:${wrong}\r\n\r\n`
    const trailer = await fetch(`${api.endpoint}/${BUCKET}/bad-checksum?x-id=PutObject`, {
      method: 'PUT',
      body: encoded,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(body.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    })
    expect(trailer.status).toBe(400)
    expect(await trailer.text()).toContain('<Code>BadDigest</Code>')
    const hashed = await fetch(`${api.endpoint}/${BUCKET}/bad-checksum`, { method: 'PUT', body, headers: { 'x-amz-content-sha256': 'ab'.repeat(32) } })
    expect(hashed.status).toBe(400)
    expect(await hashed.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>')
    await expect(get('bad-checksum')).rejects.toMatchObject({ name: 'NoSuchKey' })
    // The same bodies with their right checksums are stored.
    const right = await fetch(`${api.endpoint}/${BUCKET}/good-checksum`, { method: 'PUT', body, headers: { 'x-amz-checksum-crc32': crc32Base64(body) } })
    expect(right.status).toBe(200)
    expect(right.headers.get('x-amz-checksum-crc32')).toBe(crc32Base64(body))
    expect(right.headers.get('etag')).toBe(`"${md5(body)}"`)
  })

  it('leaves nothing behind when the client goes away mid-body, and keeps serving', async () => {
    const { port } = new URL(api.endpoint)
    const socket = connect(Number(port), '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', resolve))
    socket.write(`PUT /${BUCKET}/gone HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 100000\r\n\r\n${'x'.repeat(5000)}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1)
    socket.destroy()
    await expect.poll(() => readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    await expect(get('gone')).rejects.toMatchObject({ name: 'NoSuchKey' })
  })

  it('refuses what it does not serve rather than answer it wrongly: another operation, a byte range', async () => {
    const copy = await fetch(`${api.endpoint}/${BUCKET}/text?tagging`, { method: 'GET' })
    expect(copy.status).toBe(501)
    expect(await copy.text()).toContain('<Code>NotImplemented</Code>')
    const range = await fetch(`${api.endpoint}/${BUCKET}/text`, { headers: { range: 'bytes=0-1' } })
    expect(range.status).toBe(501)
  })

  it('keeps its objects on disk: a new server over the same folder (a dev restart) serves them', async () => {
    const body = randomBytes(10_000)
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept', Body: body }))
    const second = await startLambdaApi(0, { lambda: () => undefined, s3: target() })
    const other = client(second.endpoint)
    try {
      const got = await other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept' }))
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true)
    } finally {
      other.destroy()
      await second.close()
    }
  })

  it('without a payload bucket (an app without "payloads") every bucket is NoSuchBucket', async () => {
    const none = await startLambdaApi(0, { lambda: () => undefined, s3: { bucket: () => undefined } })
    const other = client(none.endpoint)
    try {
      await expect(other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept' }))).rejects.toMatchObject({ name: 'NoSuchBucket' })
    } finally {
      other.destroy()
      await none.close()
    }
  })
})

describe('the CRCs dev checks uploads with', () => {
  it("CRC32 without zlib (Node before 20.15) is zlib's, whole and chunk by chunk; CRC32C gives its check value", () => {
    const body = randomBytes(100_000)
    expect(tableCrc32(body)).toBe(zlibCrc32(body))
    expect(tableCrc32(body.subarray(7), tableCrc32(body.subarray(0, 7)))).toBe(zlibCrc32(body))
    expect(crc32(body.subarray(50_000), crc32(body.subarray(0, 50_000)))).toBe(zlibCrc32(body))
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283)
  })
})
