// Where a cold generate or synth spends its time, phase by phase, in one fresh process: loading
// task-gen's modules, reading the handlers' types, and the rest (emitting the client, or bundling
// and writing the Terraform JSON). Prints {importMs, extractMs, restMs} as JSON. `synth-parts`
// times synth's two halves one after the other instead of together, as synth overlaps them:
// bundling (esbuild with the task wrapper, and the zips), loading cdktf, and building the
// Terraform JSON; it prints {bundleMs, cdktfLoadMs, terraformJsonMs}.
// Argv: generate|synth|synth-parts <config> <output dir>.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

const [mode, configFile, outDir] = process.argv.slice(2) as ['generate' | 'synth' | 'synth-parts', string, string]
// Cold: without the extraction cache the last run left.
rmSync(join(dirname(configFile), '.task-gen', 'cache'), { recursive: true, force: true })
const started = performance.now()
const [{ buildClient, loadAndExtract, writeClient }, { synthesize }] = await Promise.all([
  import('../../generator/generate.js'),
  mode !== 'generate' ? import('../../generator/synth/synthesize.js') : Promise.resolve({ synthesize: undefined }),
])
const imported = performance.now()
if (mode === 'generate') {
  const client = await buildClient({ configFile, out: outDir })
  const built = performance.now()
  await writeClient(client)
  // buildClient reads the types and emits in one call: report it as extraction, writing as the rest.
  console.log(JSON.stringify({ importMs: imported - started, extractMs: built - imported, restMs: performance.now() - built }))
} else if (mode === 'synth-parts') {
  const { model, extraction } = await loadAndExtract({ configFile })
  const [{ bundleFunctions }, { bundleRequests }, { BundlePlaceholders }] = await Promise.all([
    import('../../generator/bundle/bundle-functions.js'),
    import('../../generator/bundle/bundle-requests.js'),
    import('../../generator/synth/bundle-refs.js'),
  ])
  const requests = bundleRequests(model, extraction)
  const bundling = performance.now()
  await bundleFunctions(requests, model.rootDir)
  const bundled = performance.now()
  const { synthFiles } = await import('../../generator/synth/synth-stacks.js')
  const loaded = performance.now()
  synthFiles(model, new BundlePlaceholders(requests).refs, outDir)
  console.log(JSON.stringify({ bundleMs: bundled - bundling, cdktfLoadMs: loaded - bundled, terraformJsonMs: performance.now() - loaded }))
} else {
  const { model, extraction } = await loadAndExtract({ configFile })
  const extracted = performance.now()
  await synthesize!(model, extraction, outDir)
  console.log(JSON.stringify({ importMs: imported - started, extractMs: extracted - imported, restMs: performance.now() - extracted }))
}
