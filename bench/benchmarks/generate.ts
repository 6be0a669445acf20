import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { SyntheticApp } from '../app/synthetic-app.js'
import { alternate, type Contender } from '../lib/alternate.js'
import { runChild, type ChildRun } from '../lib/child.js'
import { forgetExtractionCache, TASK_GEN_BIN, TSC, tsgoBinary, worker } from '../lib/paths.js'
import type { Node22 } from '../lib/node22.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'

/**
 * Cold `task-gen generate` against `tsc --noEmit` (TypeScript 6.0, JavaScript) and the native
 * TypeScript 7 compiler over the same files with the same compiler options: all three as fresh
 * processes, timed from spawn to exit, as a user runs them. Cold means without the extraction
 * cache (removed before each run); `generate.cached` is the same command with it (the types
 * unchanged since the last run), beside them. With `node22`, the same commands under Node 22 join
 * the same alternation (`*.node22.N<n>`; tsgo is a native binary and runs once), plus cold generate
 * under Node 22 with its compile cache off (`generate.cold.node22.noCompileCache`, not a target).
 */
export async function benchGenerateCold(
  app: SyntheticApp,
  runs: number,
  results: Results,
  log: (line: string) => void,
  options: { node22?: Node22 } = {},
): Promise<void> {
  const contenders = generateContenders(app, options.node22)
  await warmUpNode22(contenders, log)
  const runsByName = await alternate<ChildRun>(contenders, runs, (name, run) => log(`  ${name}: ${run.ms.toFixed(0)} ms`))
  recordChildRuns(runsByName, results)
}

/** A contender run by one of the two runtimes; `warmUp` marks the Node 22 ones run once, untimed, before timing. */
export interface RuntimeContender extends Contender<ChildRun> {
  warmUp?: boolean
}

/** The contenders of `benchGenerateCold`, in their order (exported for the wiring test; nothing runs). */
export function generateContenders(app: SyntheticApp, node22?: Node22): RuntimeContender[] {
  const n = app.tasks.length
  const generateArgs = [TASK_GEN_BIN, 'generate', '--config', app.configFile]
  const cold = (node: string, env?: NodeJS.ProcessEnv) => () => {
    forgetExtractionCache(app.dir)
    return runChild(node, generateArgs, { cwd: app.dir, node: true, env })
  }
  const cached = (node: string, env?: NodeJS.ProcessEnv) => async () => {
    await fillExtractionCache(app)
    return runChild(node, generateArgs, { cwd: app.dir, node: true, env })
  }
  const tsc = (node: string, env?: NodeJS.ProcessEnv) => () => runChild(node, [TSC, '-p', app.tsconfigFile], { cwd: app.dir, node: true, env })
  const contenders: RuntimeContender[] = [
    { name: `generate.cold.N${n}`, run: cold(process.execPath) },
    { name: `generate.cached.N${n}`, run: cached(process.execPath) },
    { name: `tsc6.noEmit.N${n}`, run: tsc(process.execPath) },
    { name: `tsgo7.noEmit.N${n}`, run: () => runChild(tsgoBinary(), ['-p', app.tsconfigFile], { cwd: app.dir }) },
  ]
  if (node22) {
    contenders.push(
      { name: `generate.cold.node22.N${n}`, run: cold(node22.binary, node22.env), warmUp: true },
      { name: `generate.cached.node22.N${n}`, run: cached(node22.binary, node22.env), warmUp: true },
      { name: `tsc6.noEmit.node22.N${n}`, run: tsc(node22.binary, node22.env), warmUp: true },
      { name: `generate.cold.node22.noCompileCache.N${n}`, run: cold(node22.binary, node22.envWithoutCompileCache) },
    )
  }
  return contenders
}

/**
 * One untimed run of each Node 22 contender, so that the timed runs find the bench's compile-cache
 * folder (emptied by `prepareNode22`) warm, as a user's runs after the first do.
 */
export async function warmUpNode22(contenders: readonly RuntimeContender[], log: (line: string) => void): Promise<void> {
  const warmUps = contenders.filter((c) => c.warmUp)
  if (warmUps.length === 0) return
  log(`  untimed, to fill Node 22's compile cache: ${warmUps.map((c) => c.name).join(', ')}`)
  for (const contender of warmUps) await contender.run()
}

/** Each contender's wall times (and, for node processes, peak memory) as measurements. */
export function recordChildRuns(runsByName: Map<string, ChildRun[]>, results: Results): void {
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
