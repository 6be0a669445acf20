import type { Machine } from './machine.js'
import type { PartialRun, Ratio, Results } from './results.js'
import { round, type Summary } from './stats.js'

function cell(s: Summary | undefined): string {
  return s ? `${round(s.median)} (${round(s.min)}–${round(s.max)})` : '—'
}

/** A ratio of two measurements, or a floor on a measurement whose runs are ratios themselves (not an absolute limit in MB). */
function isRatio(r: Ratio, results?: Results): boolean {
  return r.baseline !== '' || results?.measurements[r.subject]?.unit === '×'
}

export function ratioLine(r: Ratio, results?: Results): string {
  const value = isRatio(r, results) ? `${r.value.toFixed(3)}×` : `${round(r.value)}`
  const limit = isRatio(r, results) ? `${r.limit}×` : `${r.limit}`
  return `${r.met ? '✓ met   ' : '✗ MISSED'}  ${r.name}: ${value}  (target ${r.direction} ${limit})`
}

/** The targets table: each ratio beside its target. */
export function ratiosTable(results: Results): string {
  const rows = results.ratios.map((r) => {
    const ratio = isRatio(r, results)
    const value = ratio ? `${r.value.toFixed(3)}×` : `${round(r.value)} MB`
    const limit = ratio ? `${r.direction} ${r.limit}×` : `${r.direction} ${r.limit} MB`
    const subject = results.measurements[r.subject]!
    const basis = r.baseline
      ? `${cell(subject)} vs ${cell(results.measurements[r.baseline])} ${subject.unit}`
      : ratio
        ? `worst of ${subject.runs} rounds; median ${cell(subject)}×`
        : `max of ${subject.runs} runs`
    return `| ${r.name} | ${value} | ${limit} | ${r.met ? 'met' : '**missed**'} | ${basis} |`
  })
  return ['| ratio | measured | target | | subject vs baseline, median (min–max) |', '|---|---|---|---|---|', ...rows].join('\n')
}

/** How generate and synth grow with N, beside their baselines. */
export function scalingTable(results: Results, sizes: readonly number[]): string {
  const m = (name: string) => results.measurements[name]
  const rows = sizes.map(
    (n) =>
      `| ${n} | ${cell(m(`generate.cold.N${n}`))} | ${cell(m(`tsc6.noEmit.N${n}`))} | ${cell(m(`tsgo7.noEmit.N${n}`))} | ${cell(m(`synth.N${n}`))} | ${cell(m(`esbuild.N${n}`))} | ${cell(m(`generate.cold.N${n}.peakRss`))} | ${cell(m(`synth.N${n}.peakRss`))} |`,
  )
  return [
    '| N tasks | generate (ms) | tsc 6.0 --noEmit (ms) | tsgo 7 --noEmit (ms) | synth (ms) | esbuild alone (ms) | generate peak RSS (MB) | synth peak RSS (MB) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}

/**
 * Node 20 and Node 22 side by side, at each N the Node 22 contenders ran (none: no table). The two
 * rows of an N come from one alternation when they were measured in the same run.
 */
export function runtimesTable(results: Results, sizes: readonly number[]): string {
  const m = (name: string) => results.measurements[name]
  const ratio = (subject: string, baseline: string) => {
    const s = m(subject)
    const b = m(baseline)
    return s && b ? `${(s.median / b.median).toFixed(3)}×` : '—'
  }
  const measured = [...new Set([...sizes, ...Object.keys(results.measurements).map((name) => Number(/^generate\.cold\.node22\.N(\d+)$/.exec(name)?.[1]))])]
    .filter((n) => Number.isInteger(n) && (m(`generate.cold.node22.N${n}`) || m(`synth.node22.N${n}`)))
    .sort((a, b) => a - b)
  if (measured.length === 0) return ''
  const rows = measured.flatMap((n) =>
    (['', '.node22'] as const).map((runtime) => {
      const at = (name: string) => `${name}${runtime}.N${n}`
      const noCache = runtime ? cell(m(`generate.cold.node22.noCompileCache.N${n}`)) : '—'
      return `| ${n} | ${runtime ? 'Node 22' : 'Node 20'} | ${cell(m(at('generate.cold')))} | ${noCache} | ${cell(m(at('generate.cached')))} | ${cell(m(at('tsc6.noEmit')))} | ${ratio(at('generate.cold'), at('tsc6.noEmit'))} | ${cell(m(at('synth')))} | ${cell(m(at('synth.cached')))} | ${cell(m(at('esbuild')))} | ${ratio(at('synth'), at('esbuild'))} |`
    }),
  )
  return [
    '| N tasks | runtime | generate cold (ms) | generate cold, compile cache off (ms) | generate, cache hit (ms) | tsc 6.0 --noEmit (ms) | generate / tsc | synth cold (ms) | synth, cache hit (ms) | esbuild alone (ms) | synth / esbuild |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB RAM, Node ${machine.node}, ${machine.platform}; run ${machine.date.slice(0, 16).replace('T', ' ')} UTC`
}

/** The rows of the envelope and offload benchmarks (issue 18), when they were measured. */
function deliveryRows(results: Results): string[] {
  const m = (name: string) => results.measurements[name]
  const rows: string[] = []
  if (m('envelope.enveloped.perCall')) {
    const bytes = (side: string) => round(m(`envelope.${side}.eventBytes`)?.median ?? Number.NaN)
    rows.push(
      `| client call with an envelope (idempotency key), sequential | ${cell(m('envelope.enveloped.perCall'))} µs | same run: raw SDK ${cell(m('envelope.rawSdk.perCall'))} µs, plain client call ${cell(m('envelope.client.perCall'))} µs; event ${bytes('client')} → ${bytes('enveloped')} B |`,
      `| CPU per call (calling process): enveloped / raw SDK / plain | ${(['enveloped', 'rawSdk', 'client'] as const).map((side) => cell(m(`envelope.${side}.cpuPerCall`))).join(' / ')} µs | not a target |`,
      `| enveloped call's own steps: seal / serialize again / key SHA-256 | ${(['seal', 'serializeEnvelope', 'keyDigest'] as const).map((step) => cell(m(`envelope.step.${step}`))).join(' / ')} µs | a plain call serializes once: ${cell(m('envelope.step.serializePayload'))} µs |`,
    )
  }
  if (m('offload.client.MBps')) {
    const size = `${round((m('offload.payloadBytes')?.median ?? Number.NaN) / 1e6)} MB`
    const both = (side: string) => `${cell(m(`offload.${side}.MBps`))} MB/s, ${cell(m(`offload.${side}.callsPerSecond`))} calls/s`
    rows.push(
      `| client call offloading a ${size} payload (S3, then invoke by reference), sequential | ${both('client')} | PutObject + InvokeCommand by hand: ${both('handWritten')} |`,
      `| the same, \`validate: false\` | ${both('clientUnvalidated')} | not a target |`,
      `| by hand, the body as UTF-8 bytes (as the client sends it), not the string | ${both('handWrittenBytes')} | not a target |`,
      `| offload CPU per call (calling process): client / by hand / \`validate: false\` / by hand, bytes | ${(['client', 'handWritten', 'clientUnvalidated', 'handWrittenBytes'] as const).map((side) => cell(m(`offload.${side}.cpuPerCall`))).join(' / ')} ms | not a target |`,
      `| client's steps per ${size} payload: validate / JSON.stringify / TextEncoder / SHA-256 | ${(['validate', 'stringify', 'encode', 'sha256'] as const).map((step) => cell(m(`offload.step.${step}`))).join(' / ')} ms | not a target (by hand: JSON.stringify) |`,
    )
  }
  return rows
}

/** When each --only run merged into these results ran. */
function partialRunsLine(partialRuns: readonly PartialRun[]): string[] {
  if (partialRuns.length === 0) return []
  const runs = partialRuns.map((p) => `\`--only ${p.only}\`: ${machineLine(p.machine)}, ${Math.round(p.seconds)} s`)
  return [`Measured alone since (their rows replace or join the whole run's): ${runs.join('; ')}.`]
}

/** The Markdown that goes into the README and bench/results.md. */
export function markdownReport(
  results: Results,
  machine: Machine,
  sizes: readonly number[],
  totalSeconds: number,
  partialRuns: readonly PartialRun[] = [],
): string {
  const m = (name: string) => results.measurements[name]
  const other = [
    `| warm regenerate, one handler edited (N=200, in process) | ${cell(m('generate.session.warm.N200'))} ms | cold, same session: ${cell(m('generate.session.cold.N200'))} ms |`,
    `| client call, sequential | ${cell(m('invoke.client.perCall'))} µs | raw SDK: ${cell(m('invoke.rawSdk.perCall'))} µs |`,
    `| client batch, 20,000 payloads a round | ${cell(m('invoke.client.batch'))} calls/s | Promise pool over the SDK: ${cell(m('invoke.promisePool.batch'))} calls/s |`,
    ...deliveryRows(results),
    `| import the client (N=200) | ${cell(m('import.client.N200'))} ms | @aws-sdk/client-lambda: ${cell(m('import.sdkLambda'))} ms |`,
    ...(['generate', 'synth'] as const).map(
      (mode) =>
        `| ${mode} phases (N=200, one process): load modules / read types / ${mode === 'generate' ? 'write package' : 'bundle + Terraform JSON'} | ${cell(m(`${mode}.phase.import.N200`))} / ${cell(m(`${mode}.phase.extract.N200`))} / ${cell(m(`${mode}.phase.rest.N200`))} ms | not a target |`,
    ),
    ...(m('synth.part.N200.bundle')
      ? [
          `| synth's halves one after the other (N=200; synth runs them at once): bundle (esbuild with the task wrapper, zips) / load cdktf / Terraform JSON | ${cell(m('synth.part.N200.bundle'))} / ${cell(m('synth.part.N200.cdktfLoad'))} / ${cell(m('synth.part.N200.terraformJson'))} ms | esbuild alone: ${cell(m('esbuild.N200'))} ms |`,
        ]
      : []),
    ...(m('tsc6.phase.N200.parse')
      ? [
          `| tsc's own phases (N=200, --extendedDiagnostics): parse / bind / check / total | ${cell(m('tsc6.phase.N200.parse'))} / ${cell(m('tsc6.phase.N200.bind'))} / ${cell(m('tsc6.phase.N200.check'))} / ${cell(m('tsc6.phase.N200.total'))} ms | tsc's process: ${cell(m('tsc6.noEmit.N200'))} ms |`,
        ]
      : []),
    ...(m('invoke.batch.roundRatio')
      ? [`| client batch / Promise pool, each round's own ratio | ${cell(m('invoke.batch.roundRatio'))}× | target ≥ 0.95 in every round |`]
      : []),
  ]
  return [
    `Machine: ${machineLine(machine)}. Whole run: ${Math.round(totalSeconds)} s.`,
    ...partialRunsLine(partialRuns),
    '',
    ratiosTable(results),
    '',
    scalingTable(results, sizes),
    '',
    ...(runtimesTable(results, sizes) ? [runtimesTable(results, sizes), ''] : []),
    '| measurement | median (min–max) | baseline |',
    '|---|---|---|',
    ...other,
    ...(results.notes.length > 0 ? ['', ...results.notes.map((note) => `- ${note}`)] : []),
  ].join('\n')
}
