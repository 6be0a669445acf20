import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SyntheticApp } from '../app/synthetic-app.js'
import { alternate } from '../lib/alternate.js'
import { runChild, type ChildRun } from '../lib/child.js'
import { forgetExtractionCache, TASK_GEN_BIN, worker } from '../lib/paths.js'
import { fillExtractionCache } from './generate.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'

/**
 * `task-gen synth` (read and check the handlers' types, bundle every task with its wrapper, zip,
 * write the Terraform JSON) against esbuild bundling the same handler entries alone with the
 * same options, in one esbuild call: both as fresh processes. `synth` is cold (no extraction
 * cache); `synth.cached` runs after a generate left the cache filled, the usual order.
 */
export async function benchSynth(app: SyntheticApp, runs: number, results: Results, log: (line: string) => void): Promise<void> {
  const n = app.tasks.length
  const entriesFile = join(app.dir, 'entries.json')
  writeFileSync(entriesFile, JSON.stringify(app.entries))
  const synthArgs = [TASK_GEN_BIN, 'synth', '--config', app.configFile, '--output', join(app.dir, 'cdktf.out')]
  const contenders = [
    {
      name: `synth.N${n}`,
      run: () => {
        forgetExtractionCache(app.dir)
        return runChild(process.execPath, synthArgs, { cwd: app.dir, node: true })
      },
    },
    {
      name: `synth.cached.N${n}`,
      run: async () => {
        await fillExtractionCache(app)
        return runChild(process.execPath, synthArgs, { cwd: app.dir, node: true })
      },
    },
    {
      name: `esbuild.N${n}`,
      run: () => runChild(process.execPath, [worker('esbuild-entries'), entriesFile, join(app.dir, 'esbuild.out')], { cwd: app.dir, node: true }),
    },
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
