// moto (a local AWS API, python3 -m moto.server) for the benchmarks that store payloads in S3, on a
// free loopback port. Its request log goes to a file, not a pipe (a pipe nobody drains would stall it).
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Moto {
  endpoint: string
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const READY_TIMEOUT_MS = 30_000

export async function startMoto(): Promise<Moto> {
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const logDir = mkdtempSync(join(tmpdir(), 'task-gen-bench-moto-'))
  const logFile = join(logDir, 'moto.log')
  const fd = openSync(logFile, 'w')
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', fd, fd] })
  closeSync(fd)
  // A benchmark that dies on its way out must not leave moto running.
  const killOnExit = () => child.kill()
  process.once('exit', killOnExit)
  let exited: string | undefined
  child.once('error', (error) => (exited = error.message))
  child.once('exit', (code, signal) => (exited ??= signal ? `signal ${signal}` : `code ${code}`))
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        process.off('exit', killOnExit)
        rmSync(logDir, { recursive: true, force: true })
        resolve()
      }
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', done)
      child.kill()
    })
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (exited !== undefined || Date.now() > deadline) {
      const output = readFileSync(logFile, 'utf8').slice(-4000)
      await stop()
      throw new Error(
        `moto did not start on ${endpoint} (${exited ?? 'no answer within 30 s'}); install it with python3 -m pip install 'moto[server]==5.2.1'\n${output}`,
      )
    }
    try {
      await (await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) })).arrayBuffer()
      return { endpoint, stop }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
