// `npm run bench`: writes synthetic apps, runs every benchmark beside its baseline, prints each
// ratio beside its target, and writes bench/results.json and bench/results.md (--readme also
// puts the tables into README.md). Options: --quick (small sizes, 5 runs, for trying it out),
// --only <generate,warm,synth,phases,invoke,envelope,offload,import,client-size,node22> (the measurements of
// such a run are merged into the saved bench/results.json: the others stay); --report-only writes
// the reports again from bench/results.json without measuring; --sizes 200,500 (the N of generate
// and synth, and of their Node 22 runs) and --runs 3 (alternating runs of each) for shorter runs.
// node22: generate and synth under Node 22 as well (installed by the bench into bench/.work/node22
// from the npm package node@22), beside Node 20 in the same alternation; a full run includes it at
// N = 200 and 500. If Node 22 cannot be installed, the bench says so and exits 1 (after the rest).
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
import { node22FailureBanner, prepareNode22, type Node22 } from './lib/node22.js'
import { REPO_ROOT, TASK_GEN_BIN, WORK_DIR } from './lib/paths.js'
import { markdownReport, ratioLine, scalingTable } from './lib/report.js'
import { addFloor, addLimit, addRatio, emptyResults, mergeResults, type PartialRun, type Results } from './lib/results.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    readme: { type: 'boolean' },
    'report-only': { type: 'boolean' },
    sizes: { type: 'string' },
    runs: { type: 'string' },
  },
})
const SIZES = values.sizes ? positiveIntegers('--sizes', values.sizes) : values.quick ? [10, 100] : [10, 100, 200, 500]
/** The size the targets are judged at: 200 (issue #8), or the largest of a quick run. */
const TARGET_N = values.quick ? 100 : 200
const RUNS = values.runs ? positiveIntegers('--runs', values.runs)[0]! : 5
const selected = (name: string) => !values.only || values.only.split(',').includes(name)
/** The sizes generate and synth also run under Node 22 at: the target's and the largest (all of --sizes when given). */
const NODE22_SIZES = values.sizes ? SIZES : [...new Set([TARGET_N, Math.max(...SIZES)])]
/** Where the bench installs Node 22, and the compile-cache folder its contenders use (both under the git-ignored bench/.work). */
const NODE22_DIR = join(WORK_DIR, 'node22')
const NODE22_COMPILE_CACHE = join(WORK_DIR, 'node22-compile-cache')

function positiveIntegers(option: string, text: string): number[] {
  const numbers = text.split(',').map((part) => Number(part.trim()))
  if (numbers.length === 0 || numbers.some((value) => !Number.isInteger(value) || value < 1))
    throw new Error(`${option} takes positive integers separated by commas, not ${JSON.stringify(text)}`)
  return numbers
}
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
  if (has(`generate.cold.node22.N${n}`))
    addRatio(results, `generate cold / tsc --noEmit (TS 6.0), N=${n}, Node 22`, `generate.cold.node22.N${n}`, `tsc6.noEmit.node22.N${n}`, '<=', 0.7)
  if (has(`generate.session.warm.N${n}`))
    addRatio(results, `warm regenerate / cold, N=${n}`, `generate.session.warm.N${n}`, `generate.session.cold.N${n}`, '<=', 0.2)
  if (has(`generate.cached.N${n}`))
    addRatio(results, `generate, extraction cached / tsc --noEmit (TS 6.0), N=${n}`, `generate.cached.N${n}`, `tsc6.noEmit.N${n}`, '<=', 0.7)
  if (has(`generate.cached.node22.N${n}`))
    addRatio(
      results,
      `generate, extraction cached / tsc --noEmit (TS 6.0), N=${n}, Node 22`,
      `generate.cached.node22.N${n}`,
      `tsc6.noEmit.node22.N${n}`,
      '<=',
      0.7,
    )
  if (has(`synth.N${n}`)) addRatio(results, `synth cold / esbuild alone, N=${n}`, `synth.N${n}`, `esbuild.N${n}`, '<=', 6)
  if (has(`synth.node22.N${n}`)) addRatio(results, `synth cold / esbuild alone, N=${n}, Node 22`, `synth.node22.N${n}`, `esbuild.node22.N${n}`, '<=', 6)
  if (has(`synth.cached.N${n}`)) addRatio(results, `synth, extraction cached / esbuild alone, N=${n}`, `synth.cached.N${n}`, `esbuild.N${n}`, '<=', 3)
  if (has(`synth.cached.node22.N${n}`))
    addRatio(results, `synth, extraction cached / esbuild alone, N=${n}, Node 22`, `synth.cached.node22.N${n}`, `esbuild.node22.N${n}`, '<=', 3)
  if (has('invoke.client.perCall')) {
    addRatio(results, 'client per-call time / raw SDK', 'invoke.client.perCall', 'invoke.rawSdk.perCall', '<=', 1.05)
    addRatio(results, 'client batch throughput / Promise pool', 'invoke.client.batch', 'invoke.promisePool.batch', '>=', 0.95)
    if (has('invoke.batch.roundRatio')) addFloor(results, 'client batch throughput / Promise pool, worst round', 'invoke.batch.roundRatio', 0.95)
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
  if (big !== n && has(`generate.cold.node22.N${big}`))
    addRatio(results, `generate cold / tsc --noEmit (TS 6.0), N=${big}, Node 22`, `generate.cold.node22.N${big}`, `tsc6.noEmit.node22.N${big}`, '<=', 0.7)
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
  // Node 22: installed (when missing) before anything is timed; a failure is said loudly, the rest
  // runs, and the bench exits 1 at the end.
  let node22: Node22 | undefined
  let node22Failure: string | undefined
  if (selected('node22')) {
    log(`Node 22 for generate and synth at N = ${NODE22_SIZES.join(', ')}: ${NODE22_DIR}`)
    try {
      node22 = prepareNode22(NODE22_DIR, NODE22_COMPILE_CACHE, log)
      log(`  Node ${node22.version} at ${node22.binary}; compile cache ${NODE22_COMPILE_CACHE} (emptied)`)
      results.notes.push(
        `Node 22 rows (\`*.node22.*\`, ${node22.version}, the npm package node@22 installed by the bench into bench/.work/node22): the same commands on the same app in the same alternation as Node 20's, the esbuild baseline's process and tsc under Node 22 too (tsgo is native: once). Node 22's compile cache (which bin/task-gen.js and tsc enable) lives in a folder of the bench's (NODE_COMPILE_CACHE=bench/.work/node22-compile-cache), emptied when the run starts and filled by one untimed run of each Node 22 contender: the timed runs find it warm; \`generate.cold.node22.noCompileCache\` runs with NODE_DISABLE_COMPILE_CACHE=1.`,
      )
    } catch (error) {
      node22Failure = node22FailureBanner(error)
      console.error(node22Failure)
    }
  }
  const node22At = (n: number) => (node22 && NODE22_SIZES.includes(n) ? node22 : undefined)
  const generateSizes = selected('generate') ? SIZES : node22 ? NODE22_SIZES : []
  for (const n of generateSizes) {
    log(`generate (cold, process) vs tsc --noEmit (TS 6.0) vs tsgo (TS 7)${node22At(n) ? ', Node 20 and 22' : ''}, N=${n}`)
    await benchGenerateCold(appOf(n), RUNS, results, log, { node22: node22At(n) })
  }
  if (selected('warm')) {
    log(`generate session: cold, then warm after one handler edit, N=${TARGET_N}`)
    await benchGenerateWarm(appOf(TARGET_N), RUNS, 3, results, log)
  }
  const synthSizes = selected('synth') ? SIZES : node22 ? NODE22_SIZES : []
  for (const n of synthSizes) {
    log(`synth vs esbuild alone${node22At(n) ? ', Node 20 and 22' : ''}, N=${n}`)
    await benchSynth(appOf(n), RUNS, results, log, { node22: node22At(n) })
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
    // Batch: five rounds of 20,000 payloads, each round a ratio judged alone (a round of 10,000 varied by ±5 %).
    await benchInvoke(appOf(TARGET_N), { sequentialCalls: 2000, batchPayloads: 20_000, runs: RUNS + 4, batchRuns: RUNS }, results, log)
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
  for (const ratio of results.ratios) console.log(`  ${ratioLine(ratio, results)}`)
  console.log(`\nTotal: ${totalSeconds.toFixed(0)} s`)
  if (Object.keys(results.measurements).length === 0) {
    // e.g. --only node22 without a Node 22: the saved results (and when they were measured) stay as they were.
    console.error('Nothing was measured: bench/results.json and the reports are left as they were.')
  } else {
    const run: SavedRun =
      values.only && existsSync(RESULTS_FILE)
        ? mergeIntoSaved(results, machine, totalSeconds)
        : { machine, sizes: SIZES, runs: RUNS, targetN: TARGET_N, totalSeconds, ...results }
    writeFileSync(RESULTS_FILE, `${JSON.stringify(run, null, 2)}\n`)
    writeReports(run)
  }
  if (node22Failure) {
    console.error(`\n${node22Failure}`)
    process.exitCode = 1
  }
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
  const label = [values.only!, values.sizes ? `--sizes ${values.sizes}` : '', values.runs ? `--runs ${values.runs}` : ''].filter(Boolean).join(' ')
  const partial: PartialRun = { only: label, machine, seconds: totalSeconds }
  return { ...saved, ...merged, partialRuns: [...(saved.partialRuns ?? []).filter((p) => p.only !== partial.only), partial] }
}

await main()
