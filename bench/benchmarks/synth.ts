import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SyntheticApp } from '../app/synthetic-app.js'
import { alternate } from '../lib/alternate.js'
import { runChild, type ChildRun } from '../lib/child.js'
import { forgetExtractionCache, TASK_GEN_BIN, worker } from '../lib/paths.js'
import { fillExtractionCache, recordChildRuns, type RuntimeContender, warmUpNode22 } from './generate.js'
import type { Node22 } from '../lib/node22.js'
import type { Results } from '../lib/results.js'

/**
 * `task-gen synth` (read and check the handlers' types, bundle every task with its wrapper, zip,
 * write the Terraform JSON) against esbuild bundling the same handler entries alone with the
 * same options, in one esbuild call: both as fresh processes. `synth` is cold (no extraction
 * cache); `synth.cached` runs after a generate left the cache filled, the usual order. With
 * `node22`, the three again under Node 22 (`*.node22.N<n>`; the esbuild baseline's process, which
 * runs esbuild's JavaScript API, too) in the same alternation.
 */
export async function benchSynth(
  app: SyntheticApp,
  runs: number,
  results: Results,
  log: (line: string) => void,
  options: { node22?: Node22 } = {},
): Promise<void> {
  writeFileSync(synthEntriesFile(app), JSON.stringify(app.entries))
  const contenders = synthContenders(app, options.node22)
  await warmUpNode22(contenders, log)
  const runsByName = await alternate<ChildRun>(contenders, runs, (name, run) => log(`  ${name}: ${run.ms.toFixed(0)} ms`))
  recordChildRuns(runsByName, results)
}

function synthEntriesFile(app: SyntheticApp): string {
  return join(app.dir, 'entries.json')
}

/** The contenders of `benchSynth`, in their order (exported for the wiring test; nothing runs). */
export function synthContenders(app: SyntheticApp, node22?: Node22): RuntimeContender[] {
  const n = app.tasks.length
  const synthArgs = [TASK_GEN_BIN, 'synth', '--config', app.configFile, '--output', join(app.dir, 'cdktf.out')]
  const sides = (node: string, env: NodeJS.ProcessEnv | undefined, suffix: string, warmUp: boolean): RuntimeContender[] => [
    {
      name: `synth${suffix}.N${n}`,
      run: () => {
        forgetExtractionCache(app.dir)
        return runChild(node, synthArgs, { cwd: app.dir, node: true, env })
      },
      warmUp,
    },
    {
      name: `synth.cached${suffix}.N${n}`,
      run: async () => {
        await fillExtractionCache(app)
        return runChild(node, synthArgs, { cwd: app.dir, node: true, env })
      },
      warmUp,
    },
    {
      name: `esbuild${suffix}.N${n}`,
      run: () => runChild(node, [worker('esbuild-entries'), synthEntriesFile(app), join(app.dir, 'esbuild.out')], { cwd: app.dir, node: true, env }),
      warmUp,
    },
  ]
  return [...sides(process.execPath, undefined, '', false), ...(node22 ? sides(node22.binary, node22.env, '.node22', true) : [])]
}
