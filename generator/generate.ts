import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Project } from 'ts-morph'
import { bundleClientRuntime } from './emit/bundle-client-runtime.js'
import type { ClientLayout } from './emit/client-files.js'
import { checkOutputFolder, staleOutputFiles, writeOutputFolder, type OutputFolder, type WriteReport } from './fs/output-folder.js'
import { handlerEntries, projectPaths } from './extract/project-paths.js'
import { checkSchedulePayloads } from './extract/check-schedule-payloads.js'
import type { Extraction } from './extract/extract.js'
import { clientFilesHash, lookupExtraction, markClientChecked, storeExtraction, type CacheAnswer } from './extract/extraction-cache.js'
import { loadModel } from './model/load-model.js'
import type { Model } from './model/model.js'
import { packageRoot } from './package-info.js'

export interface GenerateOptions {
  configFile: string
  stage?: string
  /** Output folder. @default client.outDir, else .task-gen/client */
  out?: string
}

export interface GeneratedClient {
  model: Model
  extraction: Extraction
  outDir: string
  /** The package's files, by path in the package: `index.d.ts` is the main entry's types. */
  files: Map<string, string>
  /** How they are stored in the folder: in a version folder that package.json names. */
  layout: ClientLayout
  /** Where the files go, and what that folder may not be. */
  output: OutputFolder
}

function sdkVersionRange(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  // One range for every SDK client the package names: AWS releases them together, under one version.
  const pinned = pkg.dependencies['@aws-sdk/client-lambda'] ?? '3'
  return `^${pinned.replace(/^[\^~]/, '')}`
}

export { handlerEntries, projectPaths }

export interface Extracted {
  model: Model
  /** The tasks joined with their types, and the manifest the client and `failures replay` invoke with. */
  extraction: Extraction
  /** The program the types were read from; undefined when they came from the extraction cache. */
  project: Project | undefined
  /** How the extraction cache answered; undefined when a project was given (it is not asked then). */
  cache: CacheAnswer | undefined
}

/**
 * A loaded model → its extracted payload types, checked against the schedules' payloads. Without
 * a `project`, the extraction cache (`.task-gen/cache`) is asked first, and on a hit ts-morph is
 * never loaded; whatever was read is stored for the next run.
 */
export async function extractModel(model: Model, project?: Project): Promise<Extracted> {
  const cache = project ? undefined : lookupExtraction(model)
  if (cache?.hit) {
    checkSchedulePayloads(model, cache.extraction)
    return { model, extraction: cache.extraction, project: undefined, cache: { hit: true, checkedClients: cache.checkedClients } }
  }
  // Loaded here, not at the top: a cache hit needs neither ts-morph nor TypeScript.
  const [{ extractTypes }, { handlerProject, programFiles }, { CLIENT_API_NAMES }] = await Promise.all([
    import('./extract/extract.js'),
    import('./extract/project.js'),
    import('./emit/client-files.js'),
  ])
  const handlers = project ?? handlerProject(handlerEntries(model))
  const extraction = extractTypes(model, handlers, CLIENT_API_NAMES)
  // Checked before storing: a run that fails writes nothing, not even the cache.
  checkSchedulePayloads(model, extraction)
  storeExtraction({ model, extraction, files: programFiles(handlers) })
  return { model, extraction, project: handlers, cache }
}

/** Config → model → extracted payload types: everything `check` verifies. */
export function loadAndExtract(options: Omit<GenerateOptions, 'out'>, project?: Project): Promise<Extracted> {
  return extractModel(loadModel({ configFile: options.configFile, stage: options.stage }), project)
}

/**
 * A client whose declarations do not compile is task-gen's bug: it is never written. A client the
 * cache records as checked against this same extraction is not checked again.
 */
async function assertClientCompiles(files: Map<string, string>, extracted: Extracted): Promise<void> {
  const hash = clientFilesHash(files)
  if (extracted.cache?.hit && extracted.cache.checkedClients.includes(hash)) return
  const [{ clientTypeErrors }, { libraryProject }] = await Promise.all([import('./emit/check-client-types.js'), import('./extract/project.js')])
  const errors = clientTypeErrors(files, extracted.project ?? libraryProject())
  if (errors.length > 0) throw new Error(`task-gen bug: the generated client does not type-check:\n${errors.join('\n')}`)
  markClientChecked(extracted.model, hash)
}

/**
 * Config → model → extracted types → the client package's files, in memory. `loaded` is the
 * model when the caller has just loaded it (the config is read once per run).
 */
export async function buildClient(options: GenerateOptions, project?: Project, loaded?: Model): Promise<GeneratedClient> {
  const runtime = bundleClientRuntime() // esbuild works in its own process while the types are read here
  runtime.catch(() => undefined) // if extraction throws first, its error is the one to report
  const extracted = await (loaded ? extractModel(loaded, project) : loadAndExtract(options, project))
  const { model, extraction } = extracted
  const { clientFiles, clientLayout } = await import('./emit/client-files.js')
  const outDir = options.out !== undefined ? resolve(options.out) : model.client.outDir
  const files = clientFiles({ ...model, client: { ...model.client, outDir } }, extraction, { runtime: await runtime, sdkVersion: sdkVersionRange() })
  await assertClientCompiles(files, extracted)
  return { model, extraction, outDir, files, layout: clientLayout(files), output: clientOutputFolder(model, extraction, options.out) }
}

/** The client's output folder: `--out` when given, else `client.outDir`, named as the user wrote it. */
export function clientOutputFolder(model: Model, extraction: Extraction, out?: string): OutputFolder {
  if (out !== undefined) return { dir: resolve(out), kind: 'client', source: { path: '--out' }, protectedPaths: projectPaths(model, extraction) }
  const source = { path: 'client.outDir', ...(model.client.outDirLocation ? { location: model.client.outDirLocation } : {}) }
  return { dir: model.client.outDir, kind: 'client', source, protectedPaths: projectPaths(model, extraction) }
}

/**
 * Writes the package into its folder, as `writeOutputFolder` does: only into a folder that is
 * task-gen's, and with package.json as its one commit point, so that a reader resolving the
 * package always finds one whole version.
 */
export function writeClient(client: GeneratedClient): Promise<WriteReport> {
  return writeOutputFolder(client.output, client.layout.files, { versions: client.layout.versions })
}

/** Throws a UserError, writing nothing, unless `writeClient` may write the folder. */
export function checkClientFolder(client: GeneratedClient): void {
  checkOutputFolder(client.output, client.layout.files, client.layout.versions)
}

/** The package's files that `writeClient` would change (see `staleOutputFiles`). */
export function staleClientFiles(client: GeneratedClient): string[] {
  return staleOutputFiles(client.output, client.layout.files, client.layout.versions)
}
