import type { Machine } from './machine.js'
import type { Ratio, Results } from './results.js'
import { round, type Summary } from './stats.js'

function cell(s: Summary | undefined): string {
  return s ? `${round(s.median)} (${round(s.min)}–${round(s.max)})` : '—'
}

export function ratioLine(r: Ratio): string {
  const value = r.baseline ? `${r.value.toFixed(3)}×` : `${round(r.value)}`
  const limit = r.baseline ? `${r.limit}×` : `${r.limit}`
  return `${r.met ? '✓ met   ' : '✗ MISSED'}  ${r.name}: ${value}  (target ${r.direction} ${limit})`
}

/** The targets table: each ratio beside its target. */
export function ratiosTable(results: Results): string {
  const rows = results.ratios.map((r) => {
    const value = r.baseline ? `${r.value.toFixed(3)}×` : `${round(r.value)} MB`
    const limit = r.baseline ? `${r.direction} ${r.limit}×` : `${r.direction} ${r.limit} MB`
    const basis = r.baseline
      ? `${cell(results.measurements[r.subject])} vs ${cell(results.measurements[r.baseline])} ${results.measurements[r.subject]!.unit}`
      : `max of ${results.measurements[r.subject]!.runs} runs`
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

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB RAM, Node ${machine.node}, ${machine.platform}; run ${machine.date.slice(0, 16).replace('T', ' ')} UTC`
}

/** The Markdown that goes into the README and bench/results.md. */
export function markdownReport(results: Results, machine: Machine, sizes: readonly number[], totalSeconds: number): string {
  const m = (name: string) => results.measurements[name]
  const other = [
    `| warm regenerate, one handler edited (N=200, in process) | ${cell(m('generate.session.warm.N200'))} ms | cold, same session: ${cell(m('generate.session.cold.N200'))} ms |`,
    `| client call, sequential | ${cell(m('invoke.client.perCall'))} µs | raw SDK: ${cell(m('invoke.rawSdk.perCall'))} µs |`,
    `| client batch, 10,000 payloads | ${cell(m('invoke.client.batch'))} calls/s | Promise pool over the SDK: ${cell(m('invoke.promisePool.batch'))} calls/s |`,
    `| import the client (N=200) | ${cell(m('import.client.N200'))} ms | @aws-sdk/client-lambda: ${cell(m('import.sdkLambda'))} ms |`,
    ...(['generate', 'synth'] as const).map(
      (mode) =>
        `| ${mode} phases (N=200, one process): load modules / read types / ${mode === 'generate' ? 'write package' : 'bundle + Terraform JSON'} | ${cell(m(`${mode}.phase.import.N200`))} / ${cell(m(`${mode}.phase.extract.N200`))} / ${cell(m(`${mode}.phase.rest.N200`))} ms | not a target |`,
    ),
  ]
  return [
    `Machine: ${machineLine(machine)}. Whole run: ${Math.round(totalSeconds)} s.`,
    '',
    ratiosTable(results),
    '',
    scalingTable(results, sizes),
    '',
    '| measurement | median (min–max) | baseline |',
    '|---|---|---|',
    ...other,
    ...(results.notes.length > 0 ? ['', ...results.notes.map((note) => `- ${note}`)] : []),
  ].join('\n')
}
