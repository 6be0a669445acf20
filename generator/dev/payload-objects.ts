import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs'
import { appendFile, mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable, Transform } from 'node:stream'
import { devStateDir } from './state.js'

/**
 * The objects of dev's payload bucket, on disk beside dev's other state, so that they outlive a
 * restart (a later `failures replay --local` reads them). One file per object: its body, then its
 * metadata as JSON, then that JSON's length (4 bytes, big-endian), so that one rename stores both
 * at once.
 */

/** What dev keeps of an object besides its body. */
export interface ObjectMeta {
  /** The key, to tell a file from another key's (the file name is its hash). */
  key: string
  bytes: number
  /** MD5 hex, unquoted. */
  etag: string
  contentType: string
  /** The checksum the client sent, as S3 returns it: algorithm (`crc32`) → base64. */
  checksums: Record<string, string>
  lastModified: string
}

/** Where dev keeps a bucket's objects: `.task-gen/dev/payloads/<bucket>/`. */
export function payloadObjectsDir(rootDir: string, bucket: string): string {
  return join(devStateDir(rootDir), 'payloads', bucket)
}

/** A key's file: the key's SHA-256, so that no key (`..`, `/`, NUL, 1024 bytes) names a path of its own. */
export function objectFile(dir: string, key: string): string {
  return join(dir, `${createHash('sha256').update(key, 'utf8').digest('hex')}.object`)
}

const LENGTH_BYTES = 4

/** A body being written: `commit` makes it the key's object, `discard` drops it. */
export interface PendingObject {
  /** Writes the body through `steps` (decoding, counting, hashing) into a temp file. */
  write(body: Readable, steps: Transform[]): Promise<void>
  commit(meta: ObjectMeta): Promise<void>
  discard(): Promise<void>
}

export async function pendingObject(dir: string, key: string): Promise<PendingObject> {
  await mkdir(dir, { recursive: true })
  const file = objectFile(dir, key)
  // In the same folder, so that the rename is atomic: a reader sees the old object or the new one, whole.
  const temp = join(dir, `.${randomUUID()}.tmp`)
  return {
    write: (body, steps) => pipeline([body, ...steps, createWriteStream(temp)]),
    async commit(meta) {
      const json = Buffer.from(JSON.stringify(meta), 'utf8')
      const length = Buffer.alloc(LENGTH_BYTES)
      length.writeUInt32BE(json.length)
      await appendFile(temp, Buffer.concat([json, length]))
      await rename(temp, file)
    },
    discard: () => rm(temp, { force: true }),
  }
}

/** A stored object, open: its metadata, and its body to stream once (the stream then closes the file; else `close` does). */
export interface StoredObject {
  meta: ObjectMeta
  /** Undefined for an empty body. */
  body(): ReadStream | undefined
  close(): Promise<void>
}

/** The key's object, or undefined when there is none; a file that is not one dev wrote whole is an error that names it. */
export async function readObject(dir: string, key: string): Promise<StoredObject | undefined> {
  const file = objectFile(dir, key)
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!handle) return undefined
  try {
    const { size } = await handle.stat()
    const corrupt = (why: string) => new Error(`${file} is not an object task-gen dev stored (${why}); delete it`)
    if (size < LENGTH_BYTES) throw corrupt('too short')
    const length = Buffer.alloc(LENGTH_BYTES)
    await handle.read(length, 0, LENGTH_BYTES, size - LENGTH_BYTES)
    const metaLength = length.readUInt32BE()
    const bodyBytes = size - LENGTH_BYTES - metaLength
    if (bodyBytes < 0) throw corrupt('its metadata length is past its start')
    const json = Buffer.alloc(metaLength)
    await handle.read(json, 0, metaLength, bodyBytes)
    let meta: ObjectMeta
    try {
      meta = JSON.parse(json.toString('utf8')) as ObjectMeta
    } catch {
      throw corrupt('its metadata is not JSON')
    }
    if (meta.key !== key || meta.bytes !== bodyBytes) throw corrupt('its metadata names another key or size')
    let streaming = false
    return {
      meta,
      body() {
        if (bodyBytes === 0) return undefined
        streaming = true
        // From the open file: a PUT that replaces the object meanwhile does not change what this GET reads.
        return createReadStream('', { fd: handle, start: 0, end: bodyBytes - 1, autoClose: true })
      },
      close: async () => {
        if (!streaming) await handle.close()
      },
    }
  } catch (error) {
    await handle.close()
    throw error
  }
}
