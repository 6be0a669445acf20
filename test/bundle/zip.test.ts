import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import zlib from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { crc32InJs, deterministicZip, deterministicZipAsync } from '../../generator/bundle/zip.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

const entries = [
  { name: 'index.mjs', data: new TextEncoder().encode('export const handler = async () => 1\n'.repeat(500)) },
  { name: 'index.mjs.map', data: randomBytes(70_000) },
  { name: 'empty.txt', data: new Uint8Array(0) },
]

describe('deterministic zips', () => {
  it("the JavaScript CRC-32 (for Node without zlib.crc32) agrees with zlib's", () => {
    const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32
    expect(typeof native).toBe('function') // Node 20.20 and 22 have it: this test compares the two
    for (const size of [0, 1, 7, 255, 4096, 100_003]) {
      const data = randomBytes(size)
      expect(crc32InJs(data)).toBe(native!(data))
    }
    expect(crc32InJs(new TextEncoder().encode('123456789'))).toBe(0xcbf43926) // the standard check value
  })

  it('the archive deflated on the thread pool is byte for byte the one deflated in line', async () => {
    const inLine = deterministicZip(entries)
    const pooled = await deterministicZipAsync(entries)
    expect(Buffer.compare(pooled, inLine)).toBe(0)
    expect(Buffer.compare(await deterministicZipAsync([...entries].reverse()), inLine)).toBe(0) // sorted by name either way
  })

  it("unzip reads it back whole, and tests every entry's CRC", async () => {
    const file = join(tempDir('zip'), 'bundle.zip')
    writeFileSync(file, await deterministicZipAsync(entries))
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toMatch(/No errors detected/)
    expect(Buffer.compare(execFileSync('unzip', ['-p', file, 'index.mjs.map']), entries[1]!.data)).toBe(0)
    expect(readFileSync(file).subarray(0, 4).readUInt32LE(0)).toBe(0x04034b50)
  })
})
