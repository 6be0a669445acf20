import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SyntheticApp } from '../app/synthetic-app.js'
import { alternate } from '../lib/alternate.js'
import { runChild } from '../lib/child.js'
import { REPO_ROOT } from '../lib/paths.js'
import type { Results } from '../lib/results.js'
import { summarize } from '../lib/stats.js'

/** A fresh node process that imports `specifier` and prints how long the import took inside it (node's own start-up excluded). */
function importOnce(specifier: string): () => Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t)`
  return async () => Number((await runChild(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT })).stdout.trim())
}

/** Importing the generated client package against importing @aws-sdk/client-lambda, each in fresh processes, alternating. */
export async function benchImportCost(app: SyntheticApp, runs: number, results: Results, log: (line: string) => void): Promise<void> {
  const n = app.tasks.length
  const samples = await alternate(
    [
      { name: `import.client.N${n}`, run: importOnce(pathToFileURL(join(app.dir, 'generated/tasks/index.js')).href) },
      { name: 'import.sdkLambda', run: importOnce('@aws-sdk/client-lambda') },
    ],
    runs,
    (name, ms) => log(`  ${name}: ${ms.toFixed(1)} ms`),
  )
  for (const [name, values] of samples) results.measurements[name] = summarize(values, 'ms')
}
