import { join } from 'node:path'
import type { SyntheticApp } from '../app/synthetic-app.js'
import { runChild } from '../lib/child.js'
import { TSC, worker } from '../lib/paths.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'

interface Phases {
  importMs: number
  extractMs: number
  restMs: number
}

interface SynthParts {
  bundleMs: number
  cdktfLoadMs: number
  terraformJsonMs: number
}

/** tsc's own account of its phases (`--extendedDiagnostics`), in ms: what a cold generate does too, for the same files. */
interface TscPhases {
  parseMs: number
  bindMs: number
  checkMs: number
  totalMs: number
}

function tscPhases(output: string): TscPhases {
  const seconds = (label: string) => {
    const match = new RegExp(`^${label} time:\\s+([\\d.]+)s$`, 'm').exec(output)
    if (!match) throw new Error(`tsc --extendedDiagnostics printed no "${label} time":\n${output}`)
    return Number(match[1]) * 1000
  }
  return { parseMs: seconds('Parse'), bindMs: seconds('Bind'), checkMs: seconds('Check'), totalMs: seconds('Total') }
}

function record<K extends string>(
  results: Results,
  prefix: string,
  samples: readonly Record<K, number>[],
  keys: readonly K[],
  log: (line: string) => void,
): void {
  for (const key of keys) {
    const summary = summarize(
      samples.map((s) => s[key]),
      'ms',
    )
    results.measurements[`${prefix}.${key.replace(/Ms$/, '')}`] = summary
    log(`  ${prefix} ${key.replace(/Ms$/, '')}: median ${summary.median.toFixed(0)} ms`)
  }
}

/** Not a target: the phases of cold generate and synth, to show where their time goes. */
export async function benchPhases(app: SyntheticApp, runs: number, results: Results, log: (line: string) => void): Promise<void> {
  const n = app.tasks.length
  for (const mode of ['generate', 'synth'] as const) {
    const samples: Phases[] = []
    for (let i = 0; i < runs; i++) {
      const out = join(app.dir, mode === 'generate' ? 'phases-client' : 'phases-cdktf.out')
      const run = await runChild(process.execPath, [worker('phases'), mode, app.configFile, out], { cwd: app.dir })
      samples.push(JSON.parse(run.stdout) as Phases)
    }
    for (const phase of ['importMs', 'extractMs', 'restMs'] as const) {
      const summary = summarize(
        samples.map((s) => s[phase]),
        'ms',
      )
      results.measurements[`${mode}.phase.${phase.replace('Ms', '')}.N${n}`] = summary
      log(`  ${mode} ${phase.replace('Ms', '')}: median ${summary.median.toFixed(0)} ms`)
    }
  }
  // synth's halves one after the other (synth runs them at once).
  const parts: SynthParts[] = []
  for (let i = 0; i < runs; i++) {
    const run = await runChild(process.execPath, [worker('phases'), 'synth-parts', app.configFile, join(app.dir, 'phases-cdktf.out')], { cwd: app.dir })
    parts.push(JSON.parse(run.stdout) as SynthParts)
  }
  record(results, `synth.part.N${n}`, parts, ['bundleMs', 'cdktfLoadMs', 'terraformJsonMs'], log)
  const tsc: TscPhases[] = []
  for (let i = 0; i < runs; i++) {
    const run = await runChild(process.execPath, [TSC, '-p', app.tsconfigFile, '--extendedDiagnostics'], { cwd: app.dir, node: true })
    tsc.push(tscPhases(run.stdout))
  }
  record(results, `tsc6.phase.N${n}`, tsc, ['parseMs', 'bindMs', 'checkMs', 'totalMs'], log)
}
