// `npm run bench`: writes synthetic apps, runs every benchmark beside its baseline, prints each
// ratio beside its target, and writes bench/results.json and bench/results.md (--readme also
// puts the tables into README.md). Options: --quick (small sizes, 5 runs, for trying it out),
// --only <generate,warm,synth,phases,invoke,envelope,offload,import,client-size> (the measurements of
// such a run are merged into the saved bench/results.json: the others stay); --report-only writes
// the reports again from bench/results.json without measuring.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { writeOffloadApp } from './app/offload-app.js'
import { writeSyntheticApp, type SyntheticApp } from './app/synthetic-app.js'
import { benchClientSize } from './benchmarks/client-size.js'
import { benchEnvelope } from './benchmarks/envelope.js'
import { benchGenerateCold, benchGenerateWarm } from './benchmarks/generate.js'
import { benchImportCost } from './benchmarks/import-cost.js'
import { benchInvoke } from './benchmarks/invoke.js'
import { benchOffload } from './benchmarks/offload.js'
import { benchPhases } from './benchmarks/phases.js'
import { benchSynth } from './benchmarks/synth.js'
import { runChild } from './lib/child.js'
import { describeMachine } from './lib/machine.js'
import { REPO_ROOT, TASK_GEN_BIN, WORK_DIR } from './lib/paths.js'
import { markdownReport, ratioLine, scalingTable } from './lib/report.js'
import { addLimit, addRatio, emptyResults, mergeResults, type PartialRun, type Results } from './lib/results.js'

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, readme: { type: 'boolean' }, 'report-only': { type: 'boolean' } },
})
const SIZES = values.quick ? [10, 100] : [10, 100, 200, 500]
/** The size the targets are judged at: 200 (issue #8), or the largest of a quick run. */
const TARGET_N = values.quick ? 100 : 200
const RUNS = 5
const selected = (name: string) => !values.only || values.only.split(',').includes(name)
const log = (line: string) => console.log(line)

/** The synthetic app of N tasks, written on first use (a run of some benchmarks writes only the sizes they use). */
const apps = new Map<number, SyntheticApp>()
function appOf(n: number): SyntheticApp {
  if (!apps.has(n)) apps.set(n, writeSyntheticApp({ dir: join(WORK_DIR, `app-${n}`), tasks: n }))
  return apps.get(n)!
}

/** The client package the invoke and import benchmarks load, generated once if the generate benchmark did not run. */
async function ensureClient(app: SyntheticApp): Promise<void> {
  if (!existsSync(join(app.dir, 'generated/tasks/index.js')))
    await runChild(process.execPath, [TASK_GEN_BIN, 'generate', '--config', app.configFile], { cwd: app.dir })
}

/**
 * The client the envelope benchmark calls: the target app with its first task configured with
 * `"idempotency": {}`, so that a call can pass `{ idempotencyKey }`; if this task-gen has no such
 * option (generate refuses the config), the target app's own client (the benchmark then sets the
 * key on the task's target instead).
 */
async function envelopeClient(): Promise<{ dir: string; stack: string; task: string }> {
  const app = writeSyntheticApp({ dir: join(WORK_DIR, `app-${TARGET_N}-idempotency`), tasks: TARGET_N, idempotentTasks: 1 })
  const first = app.tasks[0]!
  try {
    await runChild(process.execPath, [TASK_GEN_BIN, 'generate', '--config', app.configFile], { cwd: app.dir })
  } catch (error) {
    log(`  "idempotency" refused (${String(error).split('\n').slice(0, 3).join(' ')}); the key goes on the task's target instead`)
    await ensureClient(appOf(TARGET_N))
    return { dir: join(appOf(TARGET_N).dir, 'generated/tasks'), stack: first.stack, task: first.name }
  }
  return { dir: join(app.dir, 'generated/tasks'), stack: first.stack, task: first.name }
}

function addTargets(results: Results): void {
  const has = (name: string) => name in results.measurements
  const n = TARGET_N
  if (has(`generate.cold.N${n}`)) {
    addRatio(results, `generate cold / tsc --noEmit (TS 6.0), N=${n}`, `generate.cold.N${n}`, `tsc6.noEmit.N${n}`, '<=', 0.7)
  }
  if (has(`generate.session.warm.N${n}`))
    addRatio(results, `warm regenerate / cold, N=${n}`, `generate.session.warm.N${n}`, `generate.session.cold.N${n}`, '<=', 0.2)
  if (has(`generate.cached.N${n}`))
    addRatio(results, `generate, extraction cached / tsc --noEmit (TS 6.0), N=${n}`, `generate.cached.N${n}`, `tsc6.noEmit.N${n}`, '<=', 0.7)
  if (has(`synth.N${n}`)) addRatio(results, `synth cold / esbuild alone, N=${n}`, `synth.N${n}`, `esbuild.N${n}`, '<=', 6)
  if (has(`synth.cached.N${n}`)) addRatio(results, `synth, extraction cached / esbuild alone, N=${n}`, `synth.cached.N${n}`, `esbuild.N${n}`, '<=', 3)
  if (has('invoke.client.perCall')) {
    addRatio(results, 'client per-call time / raw SDK', 'invoke.client.perCall', 'invoke.rawSdk.perCall', '<=', 1.05)
    addRatio(results, 'client batch throughput / Promise pool', 'invoke.client.batch', 'invoke.promisePool.batch', '>=', 0.95)
  }
  // A call with an envelope (here an idempotency key) is held to the plain call's target: at most 1.05× the raw SDK's time.
  if (has('envelope.enveloped.perCall'))
    addRatio(results, 'client per-call time with an envelope / raw SDK', 'envelope.enveloped.perCall', 'envelope.rawSdk.perCall', '<=', 1.05)
  if (has('offload.client.MBps'))
    addRatio(results, 'client offload throughput, 5 MB / PutObject + Invoke by hand', 'offload.client.MBps', 'offload.handWritten.MBps', '>=', 0.9)
  if (has(`import.client.N${n}`)) addRatio(results, 'client import / @aws-sdk/client-lambda import', `import.client.N${n}`, 'import.sdkLambda', '<=', 0.25)
  const big = Math.max(...SIZES)
  if (big !== n && has(`generate.cold.N${big}`))
    addRatio(results, `generate cold / tsc --noEmit (TS 6.0), N=${big}`, `generate.cold.N${big}`, `tsc6.noEmit.N${big}`, '<=', 0.7)
  if (has(`generate.cold.N${big}.peakRss`)) addLimit(results, `generate peak memory, N=${big} (MB)`, `generate.cold.N${big}.peakRss`, 1500)
  if (has(`synth.N${big}.peakRss`)) addLimit(results, `synth peak memory, N=${big} (MB)`, `synth.N${big}.peakRss`, 1500)
}

/** Replaces the README's generated block (between the bench markers) with the new tables. */
function updateReadme(markdown: string): void {
  const path = join(REPO_ROOT, 'README.md')
  const readme = readFileSync(path, 'utf8')
  const block = /(<!-- bench:start[^>]*-->)[\s\S]*?(<!-- bench:end -->)/
  if (!block.test(readme)) throw new Error('README.md has no <!-- bench:start --> … <!-- bench:end --> block')
  writeFileSync(
    path,
    readme.replace(block, (_, start: string, end: string) => `${start}\n${markdown}\n${end}`),
  )
}

interface SavedRun extends Results {
  machine: ReturnType<typeof describeMachine>
  sizes: number[]
  runs?: number
  targetN?: number
  totalSeconds: number
  /** Runs of some benchmarks (--only) merged into this one since, newest last. */
  partialRuns?: PartialRun[]
}

const RESULTS_FILE = join(REPO_ROOT, 'bench/results.json')

/** Writes bench/results.md (and with --readme the README block) from a run. */
function writeReports(run: SavedRun): void {
  const markdown = markdownReport(run, run.machine, run.sizes, run.totalSeconds, run.partialRuns ?? [])
  writeFileSync(join(REPO_ROOT, 'bench/results.md'), `${markdown}\n`)
  if (values.readme) updateReadme(markdown)
}

async function main(): Promise<void> {
  if (values['report-only']) return writeReports(JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as SavedRun)
  const started = performance.now()
  const machine = describeMachine()
  const results = emptyResults()
  console.log(`task-gen benchmarks: N = ${SIZES.join(', ')}; ${RUNS} alternating runs each; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`)
  results.notes.push(
    'generate, synth, tsc, tsgo and esbuild run as fresh processes, timed from spawn to exit; warm regeneration, invoke and import are timed inside one process.',
  )
  if (selected('generate')) {
    for (const n of SIZES) {
      log(`generate (cold, process) vs tsc --noEmit (TS 6.0) vs tsgo (TS 7), N=${n}`)
      await benchGenerateCold(appOf(n), RUNS, results, log)
    }
  }
  if (selected('warm')) {
    log(`generate session: cold, then warm after one handler edit, N=${TARGET_N}`)
    await benchGenerateWarm(appOf(TARGET_N), RUNS, 3, results, log)
  }
  if (selected('synth')) {
    for (const n of SIZES) {
      log(`synth vs esbuild alone, N=${n}`)
      await benchSynth(appOf(n), RUNS, results, log)
    }
  }
  if (selected('phases')) {
    log(`where the time goes: phases of cold generate and synth in one process, N=${TARGET_N}`)
    await benchPhases(appOf(TARGET_N), RUNS, results, log)
  }
  if (selected('client-size')) {
    log("client size: Stripe 20's Stripe.Event, beside the size before and its budget")
    await benchClientSize(results, log)
  }
  if (selected('invoke') || selected('import')) await ensureClient(appOf(TARGET_N))
  if (selected('invoke')) {
    log('invoke: generated client vs raw LambdaClient + InvokeCommand, local Lambda-API server')
    await benchInvoke(appOf(TARGET_N), { sequentialCalls: 2000, batchPayloads: 10_000, runs: RUNS + 4 }, results, log)
  }
  if (selected('envelope')) {
    log('envelope: raw InvokeCommand vs the client plain vs the client with an envelope (idempotency key), local Lambda-API server')
    await benchEnvelope(await envelopeClient(), { calls: 2000, runs: RUNS + 4 }, results, log)
  }
  if (selected('offload')) {
    log('offload: the client with "payloads" vs PutObject + InvokeCommand by hand, 5 MB payloads, moto (S3) and a local Lambda-API server')
    const app = writeOffloadApp(join(WORK_DIR, 'offload'))
    await runChild(process.execPath, [TASK_GEN_BIN, 'generate', '--config', app.configFile], { cwd: app.dir })
    await benchOffload(app.clientDir, { calls: 10, runs: RUNS + 2, payloadBytes: 5_000_000 }, results, log)
  }
  if (selected('import')) {
    log(`import cost: client package (N=${TARGET_N}) vs @aws-sdk/client-lambda, fresh processes`)
    await benchImportCost(appOf(TARGET_N), 2 * RUNS + 1, results, log)
  }
  addTargets(results)
  const totalSeconds = (performance.now() - started) / 1000
  if (!values.only) console.log(`\n${scalingTable(results, SIZES)}\n`)
  console.log('Targets (median of subject / median of baseline):')
  for (const ratio of results.ratios) console.log(`  ${ratioLine(ratio)}`)
  console.log(`\nTotal: ${totalSeconds.toFixed(0)} s`)
  const run: SavedRun =
    values.only && existsSync(RESULTS_FILE)
      ? mergeIntoSaved(results, machine, totalSeconds)
      : { machine, sizes: SIZES, runs: RUNS, targetN: TARGET_N, totalSeconds, ...results }
  writeFileSync(RESULTS_FILE, `${JSON.stringify(run, null, 2)}\n`)
  writeReports(run)
}

/**
 * A run of some benchmarks (--only) folded into the saved results: its measurements and ratios
 * replace those of the same name, the rest of the saved run stays, and the run is listed with its
 * date, so that the report says which rows were measured when.
 */
function mergeIntoSaved(results: Results, machine: ReturnType<typeof describeMachine>, totalSeconds: number): SavedRun {
  const saved = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as SavedRun
  // The order a full run would list the targets in, so that a new one lands beside its kin.
  const order = emptyResults()
  order.measurements = { ...saved.measurements, ...results.measurements }
  addTargets(order)
  const merged = mergeResults(
    saved,
    results,
    order.ratios.map((ratio) => ratio.name),
  )
  const partial: PartialRun = { only: values.only!, machine, seconds: totalSeconds }
  return { ...saved, ...merged, partialRuns: [...(saved.partialRuns ?? []).filter((p) => p.only !== partial.only), partial] }
}

await main()
