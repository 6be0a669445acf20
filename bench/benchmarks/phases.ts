import { join } from 'node:path'
import type { SyntheticApp } from '../app/synthetic-app.js'
import { runChild } from '../lib/child.js'
import { worker } from '../lib/paths.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'

interface Phases {
  importMs: number
  extractMs: number
  restMs: number
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
}
