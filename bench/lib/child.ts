import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface ChildRun {
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number
  /** Peak resident memory of the process in MB, when it is a node process (read by report-rss). */
  maxRssMb: number | undefined
  stdout: string
}

const REPORT_RSS = fileURLToPath(new URL('../workers/report-rss.js', import.meta.url))

/**
 * Runs a command to completion and times it from the outside, as a shell would. `node: true`
 * preloads report-rss into the node process to learn its peak memory; it costs well under a
 * millisecond and applies to every node contender alike.
 */
export function runChild(command: string, args: readonly string[], options: { cwd: string; node?: boolean; env?: NodeJS.ProcessEnv }): Promise<ChildRun> {
  const rssDir = options.node ? mkdtempSync(join(tmpdir(), 'task-gen-bench-rss-')) : undefined
  const rssFile = rssDir ? join(rssDir, 'rss') : undefined
  const fullArgs = options.node ? ['--import', REPORT_RSS, ...args] : [...args]
  const env = { ...process.env, ...options.env, ...(rssFile ? { TASK_GEN_BENCH_RSS_FILE: rssFile } : {}) }
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, fullArgs, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.once('error', reject)
    child.once('close', (code) => {
      const ms = performance.now() - started
      const maxRssMb = rssFile ? readRss(rssFile) : undefined
      if (rssDir) rmSync(rssDir, { recursive: true, force: true })
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stdout}${stderr}`))
      else resolve({ ms, maxRssMb, stdout })
    })
  })
}

function readRss(file: string): number | undefined {
  try {
    return (Number(readFileSync(file, 'utf8')) * 1024) / 1e6 // getrusage gives KiB; report MB (10^6 bytes)
  } catch {
    return undefined
  }
}
