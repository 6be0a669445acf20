import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { breakerFile, ForeignLockError, LockBusyError, withFileLock } from '../../generator/fs/file-lock.js'
import { realPathOf } from '../../generator/fs/real-path.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

function lockIn(dir: string) {
  return { lock: join(dir, 'the.lock'), temp: join(dir, 'the.lock.tmp') }
}

describe('withFileLock', () => {
  it('holds the lock while the work runs and releases it after, also when the work throws', async () => {
    const { lock, temp } = lockIn(tempDir('lock'))
    const seen = await withFileLock({ file: lock, tempFile: temp }, () => JSON.parse(readFileSync(lock, 'utf8')) as { pid: number })
    expect(seen.pid).toBe(process.pid)
    await expect(
      withFileLock({ file: lock, tempFile: temp }, () => {
        throw new Error('work failed')
      }),
    ).rejects.toThrow('work failed')
    expect(readdirSync(join(lock, '..'))).toEqual([])
  })

  it('waits a bounded time for a live holder, then names it, and leaves its lock alone', async () => {
    const { lock, temp } = lockIn(tempDir('lock'))
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      const held = JSON.stringify({ pid: holder.pid, thread: 0, startedAt: 1, token: 'theirs' })
      writeFileSync(lock, held)
      let ran = 0
      const error = await withFileLock({ file: lock, tempFile: temp, waitMs: 200, pollMs: 20 }, () => ran++).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LockBusyError)
      expect((error as LockBusyError).holder?.pid).toBe(holder.pid)
      expect(ran).toBe(0)
      expect(readFileSync(lock, 'utf8')).toBe(held)
      expect(existsSync(temp)).toBe(false)
    } finally {
      holder.kill()
    }
  })

  it('takes over a lock whose process has ended', async () => {
    const { lock, temp } = lockIn(tempDir('lock'))
    writeFileSync(lock, JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '']).pid, thread: 0, startedAt: 1, token: 'gone' }))
    expect(await withFileLock({ file: lock, tempFile: temp, waitMs: 0 }, () => 'ran')).toBe('ran')
    expect(readdirSync(join(lock, '..'))).toEqual([])
  })

  it("leaves a file at the lock's name that no task-gen wrote alone, and refuses", async () => {
    const { lock, temp } = lockIn(tempDir('lock'))
    writeFileSync(lock, 'my notes')
    let ran = 0
    await expect(withFileLock({ file: lock, tempFile: temp, waitMs: 0 }, () => ran++)).rejects.toBeInstanceOf(ForeignLockError)
    expect(ran).toBe(0)
    expect(readFileSync(lock, 'utf8')).toBe('my notes')
  })

  it('breaks a stale lock only through its breaker: a live breaker makes it wait; an old one is cleared', async () => {
    const { lock, temp } = lockIn(tempDir('lock'))
    const stale = JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '']).pid, thread: 0, startedAt: 1, token: 'gone' })
    writeFileSync(lock, stale)
    // Another run is breaking it right now (its breaker is fresh): this one waits rather than removing the lock itself.
    writeFileSync(breakerFile(lock), JSON.stringify({ pid: process.pid, thread: 99, startedAt: Date.now(), token: 'breaking' }))
    await expect(withFileLock({ file: lock, tempFile: temp, waitMs: 100, pollMs: 10 }, () => 'ran')).rejects.toBeInstanceOf(LockBusyError)
    expect(readFileSync(lock, 'utf8')).toBe(stale)
    // A breaker left by a run killed while breaking is cleared once it is old.
    writeFileSync(breakerFile(lock), JSON.stringify({ pid: process.pid, thread: 99, startedAt: 1, token: 'killed' }))
    expect(await withFileLock({ file: lock, tempFile: temp, waitMs: 1000, pollMs: 10 }, () => 'ran')).toBe('ran')
    expect(readdirSync(join(lock, '..'))).toEqual([])
  })
})

describe('realPathOf', () => {
  it('resolves the links in the part that exists and keeps the rest as written', () => {
    const root = realPathOf(tempDir('real'))
    mkdirSync(join(root, 'target'))
    symlinkSync(join(root, 'target'), join(root, 'link'))
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'))
    expect(realPathOf(join(root, 'link'))).toBe(join(root, 'target'))
    expect(realPathOf(join(root, 'link/not/yet'))).toBe(join(root, 'target/not/yet'))
    expect(realPathOf(join(root, 'dangling'))).toBe(join(root, 'dangling'))
  })
})
