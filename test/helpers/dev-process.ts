import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, REPO_ROOT } from './run-cli.js'
import { tempDir } from './temp.js'

/** A fixture app (test/fixtures/<name>) in a temp folder, with task-gen and the AWS SDK where its handlers and client import them from. */
export function copyFixtureApp(name: string): string {
  const dir = tempDir(name)
  cpSync(join(REPO_ROOT, 'test/fixtures', name), dir, { recursive: true })
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/task-gen'))
  symlinkSync(join(REPO_ROOT, 'node_modules/@aws-sdk'), join(dir, 'node_modules/@aws-sdk'))
  return dir
}

/** A failure record dev kept, as far as the dev tests read it. */
export interface LocalRecord {
  requestContext: { condition: string; approximateInvokeCount: number }
  requestPayload: unknown
  responsePayload?: { errorType: string; errorMessage: string; trace?: string[] }
}

/** The failure records dev keeps for `queue` in the app's local failure store, oldest first. */
export function localRecords(app: string, queue: string): LocalRecord[] {
  const dir = join(app, '.task-gen/dev/failures', queue)
  let files: string[] = []
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  } catch {
    return []
  }
  return files.sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LocalRecord)
}

export interface DevProcess {
  endpoint: string
  /** Every stdout line so far. */
  lines: string[]
  stderr(): string
  /** Resolves with the first line (from `from` on) that matches, or rejects after `timeoutMs` with what was printed. */
  waitFor(match: RegExp | ((line: string) => boolean), options?: { from?: number; timeoutMs?: number }): Promise<string>
  stop(): Promise<number | null>
}

/** Starts the built `task-gen dev` in `cwd` on a free port and waits until it serves. */
export async function startDev(cwd: string, args: string[] = [], env: Record<string, string> = {}): Promise<DevProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'dev', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  let partial = ''
  const waiters = new Set<() => void>()
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n')
    partial = parts.pop()!
    lines.push(...parts)
    for (const wake of waiters) wake()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
    for (const wake of waiters) wake()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const waitFor: DevProcess['waitFor'] = (match, { from = 0, timeoutMs = 20_000 } = {}) => {
    const test = typeof match === 'function' ? match : (line: string) => match.test(line)
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.slice(from).find(test)
        if (found === undefined) return false
        finish()
        resolve(found)
        return true
      }
      const timer = setTimeout(() => {
        finish()
        reject(new Error(`task-gen dev printed no line matching ${String(match)} in ${timeoutMs} ms.\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`))
      }, timeoutMs)
      const finish = () => {
        clearTimeout(timer)
        waiters.delete(wake)
      }
      const wake = () => void check()
      if (!check()) waiters.add(wake)
    })
  }
  const first = await Promise.race([
    waitFor(/^Point the client at it: AWS_ENDPOINT_URL_LAMBDA=/, { timeoutMs: 60_000 }),
    exited.then((code) => Promise.reject(new Error(`task-gen dev exited with ${code}:\n${stderr}`))),
  ])
  return {
    endpoint: first.split('=')[1]!,
    lines,
    stderr: () => stderr,
    waitFor,
    stop: async () => {
      child.kill('SIGTERM')
      return exited
    },
  }
}
