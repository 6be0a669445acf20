import { randomUUID } from 'node:crypto'
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { threadId } from 'node:worker_threads'
import { isRunning } from '../process/is-running.js'

/** What a lock file holds: who took it, and when. */
export interface LockHolder {
  pid: number
  /** The holder's thread: two threads of one process are two holders. */
  thread: number
  /** Milliseconds since the epoch. */
  startedAt: number
  /** Tells this taking of the lock from any other by the same process. */
  token: string
}

/** Thrown when another live process kept the lock for the whole wait. */
export class LockBusyError extends Error {
  /** Undefined when the lock kept changing hands without a live holder to name. */
  constructor(readonly holder: LockHolder | undefined) {
    super(holder ? `the lock is held by pid ${holder.pid}` : 'the lock could not be taken')
    this.name = 'LockBusyError'
  }
}

export interface LockOptions {
  /** How long to wait for another holder to finish. @default 10 000 */
  waitMs?: number
  /** @default 25 */
  pollMs?: number
}

function readHolder(lockFile: string): LockHolder | 'gone' | 'corrupt' {
  let text: string
  try {
    text = readFileSync(lockFile, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>
    const fields = [value.pid, value.thread, value.startedAt]
    if (fields.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0) && typeof value.token === 'string') return value as LockHolder
  } catch {
    // fall through: not a lock any task-gen wrote
  }
  return 'corrupt'
}

/**
 * A holder that cannot be writing any more: its process has ended, or it is this very thread,
 * whose locked work is synchronous and so cannot be under way while it asks again (a pid reused
 * after a kill, as in a container restarted with the same pid).
 */
function isStale(holder: LockHolder): boolean {
  if (holder.pid === process.pid) return holder.thread === threadId
  return !isRunning(holder.pid)
}

/**
 * Creates the lock file with its whole content at once: the content goes to a temporary file,
 * which is then hard-linked to the lock's name (link fails when the name exists, like O_EXCL).
 * Returns the current holder when someone else has it.
 */
function tryTake(lockFile: string, tempFile: string, me: LockHolder): LockHolder | 'taken' | 'retry' | 'corrupt' {
  writeFileSync(tempFile, JSON.stringify(me), { flag: 'wx' })
  try {
    linkSync(tempFile, lockFile)
    return 'taken'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    rmSync(tempFile, { force: true })
  }
  const holder = readHolder(lockFile)
  return holder === 'gone' ? 'retry' : holder
}

/** A breaker older than this belongs to a run killed while it broke a lock: breaking takes microseconds. */
const STALE_BREAKER_MS = 10_000

/**
 * Removes a lock whose holder is gone; false when another run is breaking it at this moment. Breakers take turns through a second lock (`<lock>.break`),
 * so between reading the stale lock and removing it nobody else can remove it and take it anew:
 * takers only ever create the lock, and only a breaker removes another's. A breaker left by a
 * killed run is removed once it is clearly old.
 */
function breakStale(lockFile: string, tempFile: string, seen: LockHolder): boolean {
  const breaker = breakerFile(lockFile)
  const me: LockHolder = { pid: process.pid, thread: threadId, startedAt: Date.now(), token: randomUUID() }
  const taken = tryTake(breaker, tempFile, me)
  if (taken !== 'taken') {
    if (taken === 'retry') return true
    const age = typeof taken === 'object' ? Date.now() - taken.startedAt : Infinity
    if (age <= STALE_BREAKER_MS) return false // another run is breaking it right now
    rmSync(breaker, { force: true })
    return true
  }
  try {
    const current = readHolder(lockFile)
    if (typeof current === 'object' && current.token === seen.token) rmSync(lockFile, { force: true })
  } finally {
    release(breaker, me)
  }
  return true
}

/** The second lock that breakers of a stale lock take turns through. */
export function breakerFile(lockFile: string): string {
  return `${lockFile}.break`
}

/** Thrown when the lock's name holds a file that no task-gen wrote: it is the user's, and is left alone. */
export class ForeignLockError extends Error {
  constructor(readonly lockFile: string) {
    super(`${lockFile} is not a lock task-gen wrote`)
    this.name = 'ForeignLockError'
  }
}

function release(lockFile: string, me: LockHolder): void {
  const holder = readHolder(lockFile)
  if (typeof holder === 'object' && holder.token === me.token) rmSync(lockFile, { force: true })
}

/** Turns without a live holder to wait for (a lock that vanished, or a stale one cleared) before giving up: only a storm of other takers reaches it. */
const MAX_CLEARING = 10_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A lock file to take, and how to wait for it. */
export interface FileLock extends LockOptions {
  /** The lock's own name. */
  file: string
  /** A free name beside the lock, for writing its content whole; removed again before the lock is taken or given up. */
  tempFile: string
}

/**
 * Runs `work` while holding `lock.file`, waiting up to `waitMs` for a live holder to finish and
 * taking over a lock whose holder has ended. The lock is released however `work` ends.
 */
export async function withFileLock<T>(lock: FileLock, work: () => T): Promise<T> {
  const { file: lockFile, tempFile, ...options } = lock
  const me: LockHolder = { pid: process.pid, thread: threadId, startedAt: Date.now(), token: randomUUID() }
  const deadline = Date.now() + (options.waitMs ?? 10_000)
  // Each turn either waits for a live holder (bounded by the deadline) or clears the way; turns without a live holder are few.
  for (let clearing = 0; ; ) {
    const outcome = tryTake(lockFile, tempFile, me)
    if (outcome === 'taken') break
    if (outcome !== 'retry' && outcome !== 'corrupt' && !isStale(outcome)) {
      if (Date.now() >= deadline) throw new LockBusyError(outcome)
      await sleep(options.pollMs ?? 25)
      continue
    }
    // task-gen writes a lock whole (see tryTake): one it cannot read is somebody else's file.
    if (outcome === 'corrupt') throw new ForeignLockError(lockFile)
    if (++clearing > MAX_CLEARING) throw new LockBusyError(undefined)
    if (outcome !== 'retry' && !breakStale(lockFile, tempFile, outcome)) {
      if (Date.now() >= deadline) throw new LockBusyError(undefined)
      await sleep(options.pollMs ?? 25)
    }
  }
  try {
    return work()
  } finally {
    release(lockFile, me)
  }
}
