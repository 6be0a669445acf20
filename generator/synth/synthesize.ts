import { join, resolve } from 'node:path'
import { bundleFunctions, type FunctionBundle } from '../bundle/bundle-functions.js'
import { bundleRequests } from '../bundle/bundle-requests.js'
import { checkOutputFolder, writeOutputFolder, type OutputFolder, type OutputSource } from '../fs/output-folder.js'
import type { Extraction } from '../extract/extract.js'
import { projectPaths } from '../extract/project-paths.js'
import type { Model } from '../model/model.js'
import { BundlePlaceholders } from './bundle-refs.js'
import { ON_FAILURE_STACK } from './stack-names.js'

export interface SynthesizedStack {
  name: string
  /** Absolute folder of the stack's cdk.tf.json, where terraform runs. */
  dir: string
}

export interface SynthResult {
  outDir: string
  /** In deploy order: the app-wide on-failure stack first. */
  stacks: SynthesizedStack[]
  /** What the output folder holds that task-gen did not write (besides Terraform's working files), kept. */
  kept: string[]
}

/** An output folder, and how the user chose it (for problems). */
export interface SynthOutput {
  dir: string
  source: OutputSource
}

/** --output, else CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
export function resolveSynthOutput(output: string | undefined, env: NodeJS.ProcessEnv = process.env): SynthOutput {
  if (output !== undefined) return { dir: resolve(output), source: { path: '--output' } }
  if (env.CDKTF_OUTDIR !== undefined) return { dir: resolve(env.CDKTF_OUTDIR), source: { path: 'CDKTF_OUTDIR' } }
  return { dir: resolve('cdktf.out'), source: { path: '--output' } }
}

/**
 * Bundling and the Terraform JSON at once: esbuild bundles in its own process while this thread
 * loads cdktf and synthesizes the stacks, which name the bundles by placeholders; once both are
 * done, the placeholders become the zips' names and hashes, and the zips join the files. The
 * output is byte for byte what synthesizing after bundling gives (test/synth/synth-golden.test.ts).
 */
async function bundleWhileSynthesizing(
  model: Model,
  requests: Parameters<typeof bundleFunctions>[0],
  outDir: string,
): Promise<{ bundles: Map<string, FunctionBundle>; order: string[]; files: Map<string, Buffer> }> {
  const placeholders = new BundlePlaceholders(requests)
  let entriesResolved!: () => void
  const resolved = new Promise<void>((resolve) => (entriesResolved = resolve))
  const bundling = bundleFunctions(requests, model.rootDir, { onEntriesResolved: entriesResolved })
  // A failed build settles `bundling` without resolving every entry; it is awaited below.
  const settled = bundling.then(
    () => undefined,
    () => undefined,
  )
  await Promise.race([resolved, settled])
  let synthesized: { order: string[]; files: Map<string, Buffer> }
  try {
    const { synthFiles } = await import('./synth-stacks.js') // cdktf loads while esbuild works
    synthesized = synthFiles(model, placeholders.refs, outDir)
  } catch (error) {
    await settled // no build is left running, nor its failure unhandled
    throw error
  }
  const bundles = await bundling
  const files = new Map<string, Buffer>(
    [...synthesized.files].map(([path, data]) => [path, Buffer.from(placeholders.fill(data.toString('utf8'), bundles), 'utf8')]),
  )
  for (const bundle of bundles.values()) files.set(`stacks/${bundle.task?.stack ?? ON_FAILURE_STACK}/assets/${bundle.fileName}`, bundle.zip)
  return { bundles, order: synthesized.order, files }
}

/**
 * Model + extracted handlers → bundles → one Terraform stack per config stack (and the on-failure
 * stack), written to `<outDir>/stacks/<stack>/cdk.tf.json` with its assets beside it. The folder
 * must be task-gen's (see `writeOutputFolder`): what else it holds, such as Terraform's working
 * files, is kept; the stacks and assets an earlier synthesis wrote and this one does not are removed.
 */
export async function synthesize(model: Model, extraction: Extraction, out: string | SynthOutput): Promise<SynthResult> {
  const { dir: outDir, source } = typeof out === 'string' ? { dir: resolve(out), source: { path: '--output' } } : out
  const folder: OutputFolder = { dir: outDir, kind: 'synth', source, protectedPaths: projectPaths(model, extraction) }
  checkOutputFolder(folder, new Map()) // a folder that is not task-gen's is refused before the slow part
  const requests = bundleRequests(model, extraction)
  const { bundles, order, files } = await bundleWhileSynthesizing(model, requests, outDir)
  const inputs = [...bundles.values()].flatMap((bundle) =>
    bundle.inputs.map((path) => ({ path, what: 'a file the bundles are built from', ownable: true as const })),
  )
  const report = await writeOutputFolder({ ...folder, protectedPaths: [...folder.protectedPaths, ...inputs] }, files)
  return { outDir, stacks: order.map((name) => ({ name, dir: join(outDir, 'stacks', name) })), kept: report.kept }
}
