import { App, type TerraformStack } from './cdktf.js'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { splitBuilds } from '../bundle/bundle-requests.js'
import type { Model } from '../model/model.js'
import type { BundleRef } from './bundle-refs.js'
import { addOnFailureStack } from './on-failure-stack.js'
import { createStack } from './stack-base.js'
import { addTaskStack } from './task-stack.js'
import { ON_FAILURE_STACK, PAYLOADS_STACK, TOPICS_STACK } from './stack-names.js'
import { addPayloadsStack } from './payloads-stack.js'
import { addTopicsStack } from './topics-stack.js'
import { danglingReferences } from './stack-references.js'

/** Every file below `dir`, by `/`-separated relative path. */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (const path of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (statSync(join(dir, path)).isFile()) files.set(path.split(sep).join('/'), readFileSync(join(dir, path)))
  }
  return files
}

/**
 * The files cdktf wrote to `dir`, each stack's checked for references to what it does not declare:
 * an internal error names them (a stack that Terraform would refuse is never written).
 */
export function readStacks(dir: string): Map<string, Buffer> {
  const files = readTree(dir)
  const dangling = [...files]
    .filter(([path]) => path.endsWith('/cdk.tf.json'))
    .flatMap(([path, data]) => danglingReferences(data.toString('utf8')).map((expression) => `\${${expression}} in ${path}`))
  if (dangling.length > 0) throw new Error(`internal: references to nothing the stack declares: ${dangling.join(', ')}`)
  return files
}

/** The cdktf app: the on-failure stack first, then one stack per config stack. Returns the stack names in deploy order. */
function synthStacks(model: Model, bundles: readonly BundleRef[], { staging, stackDir }: { staging: string; stackDir: (name: string) => string }): string[] {
  // No construct stack traces: they never reach cdk.tf.json, and capturing one per resource is a large share of synth time.
  const app = new App({ outdir: staging, stackTraces: false })
  const stackNamed = (name: string) => createStack(app, model, { name, stackDir: stackDir(name) })
  const order: string[] = []
  let onFailureStack: TerraformStack | undefined
  const built = splitBuilds(bundles)
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
 * cdktf records where every token was created: it raises `Error.stackTraceLimit` to the maximum
 * and captures the whole stack each time (a tenth of synth at N = 200, then as much again to
 * format it), for messages this tool never shows. While `run` builds the app, such full-depth
 * captures record nothing, and traces read at once format to nothing; any other capture is
 * made as usual, and an error's trace is formatted when it is read, later, as usual.
 */
export function withoutTokenStackTraces<T>(run: () => T): T {
  const { prepareStackTrace, captureStackTrace } = Error
  Error.prepareStackTrace = () => ''
  Error.captureStackTrace = (target: object, below?: (...args: never[]) => unknown) => {
    if (Error.stackTraceLimit === Number.MAX_SAFE_INTEGER) Object.assign(target, { stack: '' })
    else captureStackTrace(target, below)
  }
  try {
    return run()
  } finally {
    Error.prepareStackTrace = prepareStackTrace
    Error.captureStackTrace = captureStackTrace
  }
}

/**
 * The synthesis as files, in memory (cdktf writes them to a private folder, read back and
 * removed): manifest.json and each stack's cdk.tf.json, naming the bundles by `bundles`.
 */
export function synthFiles(model: Model, bundles: readonly BundleRef[], outDir: string): { order: string[]; files: Map<string, Buffer> } {
  const staging = mkdtempSync(join(tmpdir(), 'task-gen-synth-'))
  try {
    // Each stack knows its final folder: the local backend's state path is relative to it.
    const order = withoutTokenStackTraces(() => synthStacks(model, bundles, { staging, stackDir: (name) => join(outDir, 'stacks', name) }))
    return { order, files: readStacks(staging) }
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}
