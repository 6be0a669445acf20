import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { App, type TerraformStack } from 'cdktf'
import { bundleFunctions, type FunctionBundle } from '../bundle/bundle-functions.js'
import { bundleRequests, ON_FAILURE_KEY } from '../bundle/bundle-requests.js'
import type { Extraction } from '../extract/extract.js'
import type { Model } from '../model/model.js'
import { addOnFailureStack, ON_FAILURE_STACK } from './on-failure-stack.js'
import { createStack } from './stack-base.js'
import { addTaskStack } from './task-stack.js'

export interface SynthesizedStack {
  name: string
  /** Absolute folder of the stack's cdk.tf.json, where terraform runs. */
  dir: string
}

export interface SynthResult {
  outDir: string
  /** In deploy order: the app-wide on-failure stack first. */
  stacks: SynthesizedStack[]
}

/** --output, else CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
export function resolveOutputDir(output: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(output ?? env.CDKTF_OUTDIR ?? 'cdktf.out')
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(dir, path)).isFile())
}

/** The cdktf app: the on-failure stack first, then one stack per config stack. Returns the stack names in deploy order. */
function synthStacks(model: Model, bundles: Map<string, FunctionBundle>, staging: string, stackDir: (name: string) => string): string[] {
  // No construct stack traces: they never reach cdk.tf.json, and capturing one per resource is a large share of synth time.
  const app = new App({ outdir: staging, stackTraces: false })
  const order: string[] = []
  let onFailureStack: TerraformStack | undefined
  if (model.onFailure) {
    onFailureStack = createStack(app, model, ON_FAILURE_STACK, stackDir(ON_FAILURE_STACK))
    addOnFailureStack(onFailureStack, model, model.onFailure, bundles.get(ON_FAILURE_KEY)!)
    order.push(ON_FAILURE_STACK)
  }
  for (const config of model.stacks) {
    const stack = createStack(app, model, config.name, stackDir(config.name))
    addTaskStack(stack, model, config, bundles)
    // The task stacks map their failure queues to the on-failure function: it must exist first (cdktf deploy reads this).
    if (onFailureStack) stack.addDependency(onFailureStack)
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

/**
 * Moves a finished synthesis into place file by file (each rename is atomic), then removes what
 * the new synthesis no longer has, keeping terraform's own working files (.terraform, lock files).
 */
function publish(staging: string, outDir: string, stacks: readonly string[]): void {
  const written = new Set(filesBelow(staging))
  for (const path of written) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true })
    renameSync(join(staging, path), join(outDir, path))
  }
  const stacksDir = join(outDir, 'stacks')
  for (const name of readdirSync(stacksDir)) {
    if (!stacks.includes(name)) {
      rmSync(join(stacksDir, name), { recursive: true, force: true })
      continue
    }
    const assets = join(stacksDir, name, 'assets')
    if (!existsSync(assets)) continue
    for (const file of readdirSync(assets)) if (!written.has(join('stacks', name, 'assets', file))) rmSync(join(assets, file))
  }
}

/**
 * Model + extracted handlers → bundles → one Terraform stack per config stack (and the on-failure
 * stack), written to `<outDir>/stacks/<stack>/cdk.tf.json` with its assets beside it.
 */
export async function synthesize(model: Model, extraction: Extraction, outDir: string): Promise<SynthResult> {
  const bundles = await bundleFunctions(bundleRequests(model, extraction), model.rootDir)
  mkdirSync(dirname(outDir), { recursive: true })
  const staging = mkdtempSync(`${outDir}.tmp-`)
  try {
    const stackDir = (name: string) => join(outDir, 'stacks', name)
    const order = withoutTokenStackTraces(() => synthStacks(model, bundles, staging, stackDir))
    for (const bundle of bundles.values()) {
      const stack = bundle.key === ON_FAILURE_KEY ? ON_FAILURE_STACK : bundle.key.split('/')[0]!
      mkdirSync(join(staging, 'stacks', stack, 'assets'), { recursive: true })
      writeFileSync(join(staging, 'stacks', stack, 'assets', bundle.fileName), bundle.zip)
    }
    publish(staging, outDir, order)
    return { outDir, stacks: order.map((name) => ({ name, dir: stackDir(name) })) }
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}
