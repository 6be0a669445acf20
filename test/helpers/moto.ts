// Starts a moto (local AWS API) server for tests on a free loopback port and stops it by pid.
// See docs/testing.md. Never skips: a missing moto is an error.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'

export type MotoServer = {
  endpoint: string
  port: number
  pid: number
  env: Record<string, string>
  stop(): Promise<void>
}

const MISSING = "moto is missing: install moto 5.2.1 for python3 (python3 -m pip install 'moto[server]==5.2.1')"
const READY_TIMEOUT_MS = 30_000
const STOP_GRACE_MS = 5_000
const OUTPUT_LIMIT = 64 * 1024

/** Finds a free TCP port on 127.0.0.1 by binding port 0 and closing again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      if (addr === null || typeof addr === 'string') {
        srv.close()
        reject(new Error(`could not determine a free port (address: ${String(addr)})`))
        return
      }
      const { port } = addr
      srv.close((err) => (err ? reject(err) : resolve(port)))
    })
  })
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit)
      resolve(false)
    }, ms)
    const onExit = () => {
      clearTimeout(timer)
      resolve(true)
    }
    child.once('exit', onExit)
  })
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

async function stopChild(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  killPid(pid, 'SIGTERM')
  if (await waitForExit(child, STOP_GRACE_MS)) return
  killPid(pid, 'SIGKILL')
  if (!(await waitForExit(child, STOP_GRACE_MS))) {
    throw new Error(`moto server (pid ${pid}) did not exit after SIGKILL`)
  }
}

export type StartMotoOptions = {
  /** python executable to run moto with; `python3` on PATH by default (tests inject a bad one). */
  python?: string
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const python = options.python ?? 'python3'
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`

  // moto logs every request. Its output goes to a file, not a pipe: a test that blocks its event
  // loop (spawnSync) would stop draining a pipe, and moto would hang once the pipe buffer fills.
  const logDir = mkdtempSync(join(tmpdir(), 'moto-log-'))
  const logFile = join(logDir, 'moto.log')
  const logFd = openSync(logFile, 'w')
  const readOutput = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-OUTPUT_LIMIT)
    } catch {
      return ''
    }
  }

  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    detached: false,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  })
  closeSync(logFd)
  const cleanUp = () => rmSync(logDir, { recursive: true, force: true })

  let spawnError: Error | undefined
  child.once('error', (err) => {
    spawnError = err
  })
  let exited: string | undefined
  child.once('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `code ${String(code)}`
  })

  const fail = async (why: string): Promise<never> => {
    if (child.pid !== undefined) await stopChild(child, child.pid).catch(() => undefined)
    const output = readOutput()
    cleanUp()
    throw new Error(`${MISSING}\n${why}\n--- moto output ---\n${output.trim() || '(none)'}`)
  }

  // Wait until the server answers HTTP, or the process dies, or we time out.
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (spawnError) await fail(`could not run ${python}: ${spawnError.message}`)
    if (exited !== undefined) await fail(`${python} -m moto.server exited early (${exited})`)
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) })
      await res.arrayBuffer()
      break
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await fail(`moto server did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s`)
    }
    await sleep(200)
  }

  const pid = child.pid
  if (pid === undefined) return fail('moto server has no pid')

  // moto must not try to run Lambda code in Docker (there is none here).
  const cfg = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  })
  const cfgBody = await cfg.text()
  if (!cfg.ok) {
    await stopChild(child, pid).catch(() => undefined)
    throw new Error(`moto /moto-api/config answered ${cfg.status}: ${cfgBody}\n${readOutput()}`)
  }

  return {
    endpoint,
    port,
    pid,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    },
    stop: async () => {
      await stopChild(child, pid)
      cleanUp()
    },
  }
}
