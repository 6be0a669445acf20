import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { EnvironmentError } from '../errors/environment-error.js'
import { ForeignLockError, LockBusyError, withFileLock } from '../fs/file-lock.js'
import { isRunning } from '../process/is-running.js'

// Neutral ground: the dev server, the local failure store and the CLI all find dev's state here,
// and none of them imports another for it.

/** Where `task-gen dev` keeps its state, beside the config: `.task-gen/dev`. */
export function devStateDir(rootDir: string): string {
  return join(rootDir, '.task-gen', 'dev')
}

/** What a running `task-gen dev` tells other commands (`failures replay --local`) about itself. */
export interface DevServerInfo {
  /** Undefined while it starts (it claimed the stage, and does not listen yet). */
  endpoint?: string
  pid: number
  stage: string
  /** Tells this run from an earlier one of the same pid (absent in files of older versions). */
  token?: string
}

/** One per stage: dev servers of two stages of one project do not share it. */
export function serverInfoFile(rootDir: string, stage: string): string {
  return join(devStateDir(rootDir), `server-${stage}.json`)
}

/** Claims held by this process, so that a file naming this pid is known to be live or left over. */
const ownTokens = new Set<string>()

function readServerInfo(file: string): DevServerInfo | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevServerInfo>
    if (typeof value.pid === 'number' && typeof value.stage === 'string') return value as DevServerInfo
  } catch {
    // missing, or not a file task-gen wrote whole: no dev to find
  }
  return undefined
}

function isLive(info: DevServerInfo): boolean {
  return info.pid === process.pid ? info.token !== undefined && ownTokens.has(info.token) : isRunning(info.pid)
}

/** Either the running dev, or the server file that is missing (no `endedPid`) or left by one that ended. */
export type RunningDev = { running: true; info: DevServerInfo } | { running: false; file: string; endedPid?: number }

/** The `task-gen dev` serving this project and stage, or why there is none. */
export function findRunningDev(rootDir: string, stage: string): RunningDev {
  const file = serverInfoFile(rootDir, stage)
  const info = readServerInfo(file)
  if (!info) return { running: false, file }
  if (!isLive(info)) return { running: false, file, endedPid: info.pid }
  return { running: true, info }
}

function writeWhole(file: string, info: DevServerInfo): void {
  const temp = `${file}.${process.pid}.${info.token}.tmp`
  writeFileSync(temp, JSON.stringify(info, null, 2))
  renameSync(temp, file)
}

/** This run's hold on a stage: published once it listens, released when it stops. */
export interface DevClaim {
  publish(endpoint: string): void
  release(): void
}

/** Thrown when another `task-gen dev` serves the same config and stage. */
export class DevAlreadyRunningError extends EnvironmentError {}

function alreadyRunning(info: DevServerInfo, config: string, file: string): DevAlreadyRunningError {
  const where = info.endpoint ? `at ${info.endpoint}` : 'starting'
  return new DevAlreadyRunningError(
    `already running for ${config}, stage "${info.stage}" (${where}, pid ${info.pid}); stop it first, or use another --stage (if that process is not task-gen dev, delete ${relative(process.cwd(), file) || file})`,
  )
}

/**
 * Takes the stage for this run, or refuses when a live dev holds it: one dev per config and stage,
 * so that its server file names the server that answers. `config` is how the message names it.
 */
export async function claimDevStage(rootDir: string, stage: string, config: string): Promise<DevClaim> {
  const file = serverInfoFile(rootDir, stage)
  const me = { pid: process.pid, stage, token: randomUUID() }
  mkdirSync(devStateDir(rootDir), { recursive: true })
  // Under a lock: two devs starting at once must not both see the stage free.
  try {
    await withFileLock({ file: `${file}.lock`, tempFile: `${file}.lock.${process.pid}.${me.token}.tmp` }, () => {
      const current = readServerInfo(file)
      if (current && isLive(current)) throw alreadyRunning(current, config, file)
      writeWhole(file, me)
      ownTokens.add(me.token)
    })
  } catch (error) {
    if (!(error instanceof LockBusyError || error instanceof ForeignLockError)) throw error
    throw new EnvironmentError(
      `another task-gen dev is starting for ${config}, stage "${stage}", and holds ${relative(process.cwd(), file) || file}.lock; try again (if none is, delete that file)`,
    )
  }
  const stillMine = () => readServerInfo(file)?.token === me.token
  return {
    publish(endpoint) {
      if (stillMine()) writeWhole(file, { ...me, endpoint })
    },
    release() {
      ownTokens.delete(me.token)
      // Only our own file: it may have been taken over (deleted by hand, then claimed by another dev).
      if (stillMine()) rmSync(file, { force: true })
    },
  }
}
