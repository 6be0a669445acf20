import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const BIN = fileURLToPath(new URL('../../bin/task-gen.js', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the built `task-gen` bin with plain node, as a user's shell would. */
export function runBin(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env }, encoding: 'utf8' })
  if (result.error) throw result.error
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** Runs a command without blocking the test's event loop (servers the test started keep answering). */
export function runAsync(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/** The built `task-gen` bin, without blocking the test's event loop. */
export function runBinAsync(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return runAsync(process.execPath, [BIN, ...args], options)
}
