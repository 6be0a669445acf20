import { spawn } from 'node:child_process'
import type { LambdaServer } from './lambda-api.js'
import { worker } from './paths.js'

/** The Lambda-API stand-in in its own process, so that it does not share the benchmark's event loop. */
export async function startLambdaServer(): Promise<LambdaServer> {
  const child = spawn(process.execPath, [worker('lambda-server')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the Lambda-API server exited (${code}) before it listened`)))
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()))
  })
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill()
      }),
  }
}
