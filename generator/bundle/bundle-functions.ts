import { createHash } from 'node:crypto'
import { relative, resolve } from 'node:path'
import { build, type BuildFailure, type BuildOptions, type Message, type Metafile, type Plugin } from 'esbuild'
import { UserError, type Problem } from '../errors/problem.js'
import type { FunctionModel, LambdaRuntimeId, TaskModel } from '../model/model.js'
import { jsonExpression, jsQuoted } from '../text/escape.js'
import { deterministicZipAsync, type ZipEntry } from './zip.js'
import { runtimeModule } from '../package-info.js'
import type { TaskSpec } from '../../runtime/handler/wrap-handler.js'
import type { FailureTaskIndex } from '../../runtime/failures/decode-failure.js'

/** One function to bundle: its settings, the export that is its handler, and a name for messages. */
export interface BundleRequest {
  /** Unique key, e.g. `orders/processOrder` (`taskKey`). */
  key: string
  /** The task whose function it is; absent: the on-failure handler's (or a function built on its own, as in a test). */
  task?: TaskModel
  /** Config path, for messages. */
  path: string
  function: FunctionModel
  exportName: string
  /** The wrapper from runtime/handler: the task wrapper with the task's spec, or the on-failure wrapper with the app's tasks. */
  wrap: { kind: 'task'; spec: TaskSpec } | { kind: 'on-failure'; index: FailureTaskIndex }
}

export interface FunctionBundle {
  key: string
  /** The request's task: undefined for the on-failure handler's. */
  task: TaskModel | undefined
  zip: Buffer
  /** base64 SHA-256 of the zip, as Terraform's source_code_hash wants it. */
  hash: string
  /** Content-addressed file name: the same code gives the same name. */
  fileName: string
  /** Absolute paths of the files the bundle was built from. */
  inputs: string[]
}

const TARGETS: Record<LambdaRuntimeId, string> = { 'nodejs20.x': 'node20', 'nodejs22.x': 'node22' }

// Bundled ESM still meets CommonJS dependencies that call require(); give them one.
const REQUIRE_SHIM = "import { createRequire as __taskGenCreateRequire } from 'node:module'; const require = __taskGenCreateRequire(import.meta.url);"

const HANDLER_PREFIX = 'task-gen-handler:'

/**
 * Resolves the entry's import of the user's handler, which names it by key, to its file: esbuild
 * reads an import path with `*` in it as a pattern, and a key needs no escaping.
 */
function handlerFiles(requests: readonly BundleRequest[], onEachResolved?: () => void): Plugin {
  const files = new Map(requests.map((request) => [request.key, request.function.entry]))
  const unresolved = new Set(files.keys())
  return {
    name: 'task-gen-handlers',
    setup(plugin) {
      plugin.onResolve({ filter: new RegExp(`^${HANDLER_PREFIX}`) }, (args) => {
        const key = args.path.slice(HANDLER_PREFIX.length)
        const file = files.get(key)
        if (unresolved.delete(key) && unresolved.size === 0) onEachResolved?.()
        return file === undefined ? undefined : { path: file }
      })
    },
  }
}

/**
 * The bundle's entry: the user's handler wrapped by runtime/handler. `recordSender`, a runtime/
 * module exporting `postFailureRecord`, replaces the wrapper's SQS sender (`task-gen dev`).
 */
export function entrySource(request: BundleRequest, recordSender?: string): string {
  const [wrapper, argument] = request.wrap.kind === 'task' ? ['wrapHandler', request.wrap.spec] : ['wrapOnFailure', request.wrap.index]
  const keys = request.wrap.kind === 'task' && request.wrap.spec.idempotency !== undefined
  // Under dev, the module also keeps the wrapper's idempotency keys in the dev process.
  const hooks = recordSender && request.wrap.kind === 'task' ? (keys ? ['postFailureRecord', 'devKeyStore'] : ['postFailureRecord']) : []
  const sender = hooks.length === 0 ? '' : keys ? ', { send: postFailureRecord, keys: devKeyStore }' : ', postFailureRecord'
  // Paths, the export's name and the spec are user text: string literals and JSON only.
  return [
    `import { ${wrapper} } from ${jsQuoted(runtimeModule('handler/index'))}`,
    ...(hooks.length > 0 ? [`import { ${hooks.join(', ')} } from ${jsQuoted(recordSender!)}`] : []),
    `import { ${jsQuoted(request.exportName)} as userHandler } from ${jsQuoted(`${HANDLER_PREFIX}${request.key}`)}`,
    `export const handler = ${wrapper}(userHandler, ${jsonExpression(argument)}${sender})`,
  ].join('\n')
}

/** esbuild's options for a function, as Lambda runs it; `task-gen dev` builds with the same. */
export function esbuildOptions(request: BundleRequest, rootDir: string, recordSender?: string): BuildOptions {
  const fn = request.function
  return {
    stdin: { contents: entrySource(request, recordSender), resolveDir: rootDir, sourcefile: '<task-gen entry>', loader: 'ts' },
    absWorkingDir: rootDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: TARGETS[fn.runtime],
    minify: fn.bundle.minify,
    external: fn.bundle.external,
    sourcemap: fn.bundle.sourcemap ? 'linked' : false,
    legalComments: 'none',
    banner: { js: REQUIRE_SHIM },
    logLevel: 'silent',
    plugins: [handlerFiles([request])],
  }
}

function messageProblem(path: string, message: Message, rootDir: string): Problem {
  const location = message.location
  return {
    code: 'bundle_failed',
    path,
    message: `bundling failed: ${message.text}`,
    ...(location ? { location: { file: resolve(rootDir, location.file), line: location.line, column: location.column + 1 } } : {}),
  }
}

const ENTRY_NAMESPACE = 'task-gen-entry'

/** The files on disk among esbuild's inputs (not the generated entry), absolute. */
function diskInputs(inputs: Metafile['inputs'] | Metafile['outputs'][string]['inputs'], rootDir: string): string[] {
  return Object.keys(inputs)
    .filter((input) => !input.startsWith('<') && !input.startsWith(`${ENTRY_NAMESPACE}:`))
    .map((input) => resolve(rootDir, input))
}

async function bundleOne(request: BundleRequest, rootDir: string): Promise<FunctionBundle> {
  const result = await build({ ...esbuildOptions(request, rootDir), outfile: 'index.mjs', write: false, metafile: true })
  const files = result.outputFiles.map((file) => ({ name: file.path.slice(file.path.lastIndexOf('/') + 1), data: file.contents }))
  return packZip(request, files, diskInputs(result.metafile.inputs, rootDir))
}

async function packZip({ key, task }: BundleRequest, files: ZipEntry[], inputs: string[]): Promise<FunctionBundle> {
  const zip = await deterministicZipAsync(files)
  const digest = createHash('sha256').update(zip).digest()
  return { key, task, zip, hash: digest.toString('base64'), fileName: `${key.replace(/\//g, '-')}-${digest.toString('hex').slice(0, 16)}.zip`, inputs }
}

/** Runs one build per request, all at once (esbuild runs them in parallel); every failure is collected and reported together. */
export async function buildEach<T>(
  requests: readonly BundleRequest[],
  rootDir: string,
  buildOne: (request: BundleRequest) => Promise<T>,
): Promise<Map<string, T>> {
  const settled = await Promise.allSettled(requests.map(buildOne))
  const problems: Problem[] = []
  const built = new Map<string, T>()
  settled.forEach((outcome, i) => {
    const request = requests[i]!
    if (outcome.status === 'fulfilled') built.set(request.key, outcome.value)
    else if ((outcome.reason as BuildFailure).errors)
      problems.push(...(outcome.reason as BuildFailure).errors.map((m) => messageProblem(request.path, m, rootDir)))
    else throw outcome.reason
  })
  if (problems.length > 0) throw new UserError(problems)
  return built
}

/** Functions that esbuild can bundle in one call: the same options, and no source map to rename. */
function groupsOf(requests: readonly BundleRequest[]): { together: BundleRequest[][]; alone: BundleRequest[] } {
  const groups = new Map<string, BundleRequest[]>()
  const alone: BundleRequest[] = []
  for (const request of requests) {
    const { runtime, bundle } = request.function
    if (bundle.sourcemap) {
      alone.push(request)
      continue
    }
    const key = JSON.stringify([runtime, bundle.minify, [...bundle.external].sort()])
    groups.set(key, [...(groups.get(key) ?? []), request])
  }
  return { together: [...groups.values()], alone }
}

/**
 * One esbuild call for many functions: each is an entry point of its own (no code splitting, so
 * each output is its whole bundle), and the files they share are parsed once, not once per task.
 */
async function bundleGroup(requests: readonly BundleRequest[], { rootDir, onEachResolved }: GroupOptions): Promise<FunctionBundle[]> {
  const byName = new Map(requests.map((request) => [request.key.replace(/\//g, '.'), request]))
  const { stdin: _stdin, ...options } = esbuildOptions(requests[0]!, rootDir)
  const result = await build({
    ...options,
    entryPoints: Object.fromEntries([...byName.keys()].map((name) => [name, `${ENTRY_NAMESPACE}:${name}`])),
    outdir: rootDir,
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    plugins: [
      handlerFiles(requests, onEachResolved),
      {
        name: 'task-gen-entries',
        setup(plugin) {
          plugin.onResolve({ filter: new RegExp(`^${ENTRY_NAMESPACE}:`) }, (args) => ({
            path: args.path.slice(ENTRY_NAMESPACE.length + 1),
            namespace: ENTRY_NAMESPACE,
          }))
          plugin.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({
            contents: entrySource(byName.get(args.path)!),
            resolveDir: rootDir,
            loader: 'ts',
          }))
        },
      },
    ],
  })
  return Promise.all(
    result.outputFiles.map((file) => {
      const name = file.path.slice(file.path.lastIndexOf('/') + 1, -'.mjs'.length)
      const inputs = diskInputs(result.metafile.outputs[relative(rootDir, file.path)]?.inputs ?? {}, rootDir)
      return packZip(byName.get(name)!, [{ name: 'index.mjs', data: file.contents }], inputs)
    }),
  )
}

interface GroupOptions {
  rootDir: string
  /** Called once esbuild has resolved every entry's import of its handler. */
  onEachResolved?: () => void
}

export interface BundleProgress {
  /**
   * Called once esbuild has asked this thread for every grouped entry and its handler. From then
   * until the builds return, it works in its own process and needs no JavaScript of ours, so the
   * caller may keep this thread busy (synth builds the Terraform JSON meanwhile). Not called when
   * a build fails first; functions bundled alone (with a source map) are not waited for.
   */
  onEntriesResolved?: () => void
}

/** Calls `done` once `count` calls of the returned function have been made (at once when `count` is 0). */
function countdown(count: number, done: (() => void) | undefined): () => void {
  let left = count
  if (left === 0) done?.()
  return () => {
    left -= 1
    if (left === 0) done?.()
  }
}

/**
 * Bundles every function with esbuild into deterministic zips: functions with the same options
 * in one esbuild call. When a call fails, its functions are bundled one by one, so that each
 * problem names the task it belongs to; every problem is reported together.
 */
export async function bundleFunctions(
  requests: readonly BundleRequest[],
  rootDir: string,
  progress: BundleProgress = {},
): Promise<Map<string, FunctionBundle>> {
  const { together, alone } = groupsOf(requests)
  const bundles = new Map<string, FunctionBundle>()
  const retry: BundleRequest[] = [...alone]
  const onEachResolved = countdown(together.length, progress.onEntriesResolved)
  await Promise.all(
    together.map(async (group) => {
      try {
        for (const bundle of await bundleGroup(group, { rootDir, onEachResolved })) bundles.set(bundle.key, bundle)
      } catch (error) {
        if (!(error as BuildFailure).errors) throw error
        retry.push(...group)
      }
    }),
  )
  for (const [key, bundle] of await buildEach(retry, rootDir, (request) => bundleOne(request, rootDir))) bundles.set(key, bundle)
  return bundles
}
