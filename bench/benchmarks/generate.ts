import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { SyntheticApp } from '../app/synthetic-app.js'
import { alternate } from '../lib/alternate.js'
import { runChild, type ChildRun } from '../lib/child.js'
import { forgetExtractionCache, TASK_GEN_BIN, TSC, tsgoBinary, worker } from '../lib/paths.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'

/**
 * Cold `task-gen generate` against `tsc --noEmit` (TypeScript 6.0, JavaScript) and the native
 * TypeScript 7 compiler over the same files with the same compiler options: all three as fresh
 * processes, timed from spawn to exit, as a user runs them. Cold means without the extraction
 * cache (removed before each run); `generate.cached` is the same command with it (the types
 * unchanged since the last run), beside them.
 */
export async function benchGenerateCold(app: SyntheticApp, runs: number, results: Results, log: (line: string) => void): Promise<void> {
  const n = app.tasks.length
  const contenders = [
    {
      name: `generate.cold.N${n}`,
      run: () => {
        forgetExtractionCache(app.dir)
        return runChild(process.execPath, [TASK_GEN_BIN, 'generate', '--config', app.configFile], { cwd: app.dir, node: true })
      },
    },
    {
      name: `generate.cached.N${n}`,
      run: async () => {
        await fillExtractionCache(app)
        return runChild(process.execPath, [TASK_GEN_BIN, 'generate', '--config', app.configFile], { cwd: app.dir, node: true })
      },
    },
    { name: `tsc6.noEmit.N${n}`, run: () => runChild(process.execPath, [TSC, '-p', app.tsconfigFile], { cwd: app.dir, node: true }) },
    { name: `tsgo7.noEmit.N${n}`, run: () => runChild(tsgoBinary(), ['-p', app.tsconfigFile], { cwd: app.dir }) },
  ]
  const runsByName = await alternate<ChildRun>(contenders, runs, (name, run) => log(`  ${name}: ${run.ms.toFixed(0)} ms`))
  for (const [name, childRuns] of runsByName) {
    results.measurements[name] = summarize(
      childRuns.map((r) => r.ms),
      'ms',
    )
    const rss = childRuns.map((r) => r.maxRssMb).filter((mb): mb is number => mb !== undefined)
    if (rss.length > 0) results.measurements[`${name}.peakRss`] = summarize(rss, 'MB')
  }
}

/** Makes sure the next run finds the cache filled (untimed): the cold contenders leave it filled, unless none ran yet. */
export async function fillExtractionCache(app: SyntheticApp): Promise<void> {
  if (!existsSync(join(app.dir, '.task-gen', 'cache')))
    await runChild(process.execPath, [TASK_GEN_BIN, 'generate', '--config', app.configFile], { cwd: app.dir, node: true })
}

interface WarmRun {
  coldMs: number
  warmMs: number[]
}

/**
 * Warm regeneration: a fresh process makes a generate session, generates cold, then edits one
 * handler's payload type and regenerates `edits` times (cold and warm alternate by construction,
 * one cold per process). Both include writing the package to disk.
 */
export async function benchGenerateWarm(app: SyntheticApp, runs: number, edits: number, results: Results, log: (line: string) => void): Promise<void> {
  const n = app.tasks.length
  const handler = app.entries[0]!
  const cold: number[] = []
  const warm: number[] = []
  for (let i = 0; i < runs; i++) {
    const run = await runChild(process.execPath, [worker('warm-regenerate'), app.configFile, handler, String(edits)], { cwd: app.dir })
    const parsed = JSON.parse(run.stdout) as WarmRun
    cold.push(parsed.coldMs)
    warm.push(...parsed.warmMs)
    log(`  session cold ${parsed.coldMs.toFixed(0)} ms, warm ${parsed.warmMs.map((ms) => ms.toFixed(0)).join(', ')} ms`)
  }
  results.measurements[`generate.session.cold.N${n}`] = summarize(cold, 'ms')
  results.measurements[`generate.session.warm.N${n}`] = summarize(warm, 'ms')
}
