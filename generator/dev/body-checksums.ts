import { createHash, type Hash } from 'node:crypto'
import * as zlib from 'node:zlib'

/**
 * The checksums S3 takes with an upload (`x-amz-checksum-<algorithm>`, base64 of the digest) and
 * the MD5 of its ETag, computed while the body streams past: dev checks what the client sent, as
 * S3 does.
 */

/** A digest fed chunk by chunk. */
export interface RunningDigest {
  update(chunk: Uint8Array): void
  /** The digest's bytes, big-endian, as S3's headers carry them. */
  digest(): Buffer
}

/** A reflected CRC-32 table for `polynomial` (reversed form). */
function crcTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
}

const CRC32_TABLE = crcTable(0xedb88320)
const CRC32C_TABLE = crcTable(0x82f63b78)

/** Continues a table-driven CRC-32 over `chunk`; `crc` is the value so far (0 to start). */
function tableCrc(table: Uint32Array, crc: number, chunk: Uint8Array): number {
  let c = ~crc >>> 0
  for (const byte of chunk) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** CRC-32 without zlib: what Node before 20.15 (which the engines range allows) uses. */
export function tableCrc32(chunk: Uint8Array, crc = 0): number {
  return tableCrc(CRC32_TABLE, crc, chunk)
}

/** CRC-32C (Castagnoli), which zlib does not have. */
export function crc32c(chunk: Uint8Array, crc = 0): number {
  return tableCrc(CRC32C_TABLE, crc, chunk)
}

// zlib's is native (Node 20.15+, 22); older Nodes use the table.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32

/** CRC-32 (ISO-HDLC, the SDK's default upload checksum) of `chunk`, continuing from `crc`. */
export function crc32(chunk: Uint8Array, crc = 0): number {
  return nativeCrc32 ? nativeCrc32(chunk, crc) : tableCrc32(chunk, crc)
}

function crcDigest(next: (crc: number, chunk: Uint8Array) => number): RunningDigest {
  let crc = 0
  return {
    update: (chunk) => {
      crc = next(crc, chunk)
    },
    digest: () => {
      const bytes = Buffer.alloc(4)
      bytes.writeUInt32BE(crc)
      return bytes
    },
  }
}

function hashDigest(hash: Hash): RunningDigest {
  return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest() }
}

/** The checksum algorithms dev verifies, by their name in `x-amz-checksum-<name>`. */
const ALGORITHMS: Record<string, () => RunningDigest> = {
  crc32: () => crcDigest((crc, chunk) => crc32(chunk, crc)),
  crc32c: () => crcDigest((crc, chunk) => crc32c(chunk, crc)),
  sha1: () => hashDigest(createHash('sha1')),
  sha256: () => hashDigest(createHash('sha256')),
}

/** S3's other checksum algorithms: named, so that dev refuses them clearly instead of storing them unchecked. */
export const UNSUPPORTED_ALGORITHMS = new Set(['crc64nvme'])

/** A running digest of a checksum algorithm dev verifies; undefined for any other. */
export function checksumDigest(algorithm: string): RunningDigest | undefined {
  return ALGORITHMS[algorithm]?.()
}

export function md5Digest(): RunningDigest {
  return hashDigest(createHash('md5'))
}

export function sha256Digest(): RunningDigest {
  return hashDigest(createHash('sha256'))
}
