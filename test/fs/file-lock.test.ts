import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LockBusyError, withFileLock } from '../../generator/fs/file-lock.js'
import { realPathOf } from '../../generator/fs/real-path.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

function lockIn(dir: string) {
  return { lock: join(dir, 'the.lock'), temp: join(dir, 'the.lock.tmp') }
}

describe('withFileLock', () => {
  it('holds the lock while the work runs and releases it after, also when the work throws', async () => {
    const { lock, temp } = lockIn(tempDir('lock'))
    const seen = await withFileLock(lock, temp, () => JSON.parse(readFileSync(lock, 'utf8')) as { pid: number })
    expect(seen.pid).toBe(process.pid)
    await expect(withFileLock(lock, temp, () => { throw new Error('work failed') })).rejects.toThrow('work failed')
    expect(readdirSync(join(lock, '..'))).toEqual([])
  })

  it('waits a bounded time for a live holder, then names it, and leaves its lock alone', async () => {
    const { lock, temp } = lockIn(tempDir('lock'))
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      const held = JSON.stringify({ pid: holder.pid, thread: 0, startedAt: 1, token: 'theirs' })
      writeFileSync(lock, held)
      let ran = 0
      const error = await withFileLock(lock, temp, () => ran++, { waitMs: 200, pollMs: 20 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LockBusyError)
      expect((error as LockBusyError).holder?.pid).toBe(holder.pid)
      expect(ran).toBe(0)
      expect(readFileSync(lock, 'utf8')).toBe(held)
      expect(existsSync(temp)).toBe(false)
    } finally {
      holder.kill()
    }
  })

  it.each([
    ['whose process has ended', () => JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '']).pid, thread: 0, startedAt: 1, token: 'gone' })],
    ['that no task-gen wrote', () => 'not a lock'],
  ])('takes over a lock %s', async (_, content) => {
    const { lock, temp } = lockIn(tempDir('lock'))
    writeFileSync(lock, content())
    expect(await withFileLock(lock, temp, () => 'ran', { waitMs: 0 })).toBe('ran')
    expect(existsSync(lock)).toBe(false)
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
