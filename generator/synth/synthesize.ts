import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { App, type TerraformStack } from 'cdktf'
import { bundleFunctions, type FunctionBundle } from '../bundle/bundle-functions.js'
import { bundleRequests, splitBuilds } from '../bundle/bundle-requests.js'
import { checkOutputFolder, writeOutputFolder, type OutputFolder, type OutputSource } from '../fs/output-folder.js'
import type { Extraction } from '../extract/extract.js'
import { projectPaths } from '../extract/project-paths.js'
import type { Model } from '../model/model.js'
import { addOnFailureStack, ON_FAILURE_STACK } from './on-failure-stack.js'
import { createStack } from './stack-base.js'
import { addTaskStack } from './task-stack.js'
import { PAYLOADS_STACK, TOPICS_STACK } from './stack-names.js'
import { addPayloadsStack } from './payloads-stack.js'
import { addTopicsStack } from './topics-stack.js'

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

/** Every file below `dir`, by `/`-separated relative path. */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (const path of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (statSync(join(dir, path)).isFile()) files.set(path.split(sep).join('/'), readFileSync(join(dir, path)))
  }
  return files
}

/** The cdktf app: the on-failure stack first, then one stack per config stack. Returns the stack names in deploy order. */
function synthStacks(
  model: Model,
  bundles: Map<string, FunctionBundle>,
  { staging, stackDir }: { staging: string; stackDir: (name: string) => string },
): string[] {
  // No construct stack traces: they never reach cdk.tf.json, and capturing one per resource is a large share of synth time.
  const app = new App({ outdir: staging, stackTraces: false })
  const stackNamed = (name: string) => createStack(app, model, { name, stackDir: stackDir(name) })
  const order: string[] = []
  let onFailureStack: TerraformStack | undefined
  const built = splitBuilds(bundles.values())
  if (model.onFailure && built.onFailure) {
    onFailureStack = stackNamed(ON_FAILURE_STACK)
    addOnFailureStack({ stack: onFailureStack, model }, model.onFailure, built.onFailure)
    order.push(ON_FAILURE_STACK)
  }
  const payloadsStack = model.payloads ? stackNamed(PAYLOADS_STACK) : undefined
  if (payloadsStack && model.payloads) {
    addPayloadsStack(payloadsStack, model, model.payloads)
    order.push(PAYLOADS_STACK)
  }
  const topicsStack = model.topics.length > 0 ? stackNamed(TOPICS_STACK) : undefined
  if (topicsStack) {
    addTopicsStack(topicsStack, model)
    order.push(TOPICS_STACK)
  }
  for (const config of model.stacks) {
    const stack = stackNamed(config.name)
    addTaskStack(
      { stack, model },
      config,
      built.tasks.filter((bundle) => bundle.task.stack === config.name),
    )
    // The task stacks map their failure queues to the on-failure function: it must exist first (cdktf deploy reads this).
    if (onFailureStack) stack.addDependency(onFailureStack)
    if (payloadsStack) stack.addDependency(payloadsStack)
    if (topicsStack && config.tasks.some((task) => task.subscribe.length > 0)) stack.addDependency(topicsStack)
    order.push(config.name)
  }
  app.synth()
  return order
}

/**
 * cdktf records where every token was created, formatting a full stack trace each time (a tenth
 * of synth at N = 200), for messages this tool never shows. While `run` builds the app, stack
 * traces read at once format to nothing; an error's trace is formatted when it is read, later,
 * as usual.
 */
function withoutTokenStackTraces<T>(run: () => T): T {
  const previous = Error.prepareStackTrace
  Error.prepareStackTrace = () => ''
  try {
    return run()
  } finally {
    Error.prepareStackTrace = previous
  }
}

/** The synthesis as files, in memory: cdktf writes them to a private folder, read back and removed. */
function synthFiles(model: Model, bundles: Map<string, FunctionBundle>, outDir: string): { order: string[]; files: Map<string, Buffer> } {
  const staging = mkdtempSync(join(tmpdir(), 'task-gen-synth-'))
  try {
    // Each stack knows its final folder: the local backend's state path is relative to it.
    const order = withoutTokenStackTraces(() => synthStacks(model, bundles, { staging, stackDir: (name) => join(outDir, 'stacks', name) }))
    const files = readTree(staging)
    for (const bundle of bundles.values()) {
      const stack = bundle.task?.stack ?? ON_FAILURE_STACK
      files.set(`stacks/${stack}/assets/${bundle.fileName}`, bundle.zip)
    }
    return { order, files }
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
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
  const bundles = await bundleFunctions(bundleRequests(model, extraction), model.rootDir)
  const { order, files } = synthFiles(model, bundles, outDir)
  const inputs = [...bundles.values()].flatMap((bundle) =>
    bundle.inputs.map((path) => ({ path, what: 'a file the bundles are built from', ownable: true as const })),
  )
  const report = await writeOutputFolder({ ...folder, protectedPaths: [...folder.protectedPaths, ...inputs] }, files)
  return { outDir, stacks: order.map((name) => ({ name, dir: join(outDir, 'stacks', name) })), kept: report.kept }
}
