import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { buildEach, esbuildOptions, type BundleRequest } from '../bundle/bundle-functions.js'
import type { TaskModel } from '../model/model.js'
import { devStateDir } from './state.js'
import { runtimeModule } from '../package-info.js'
import { isRunning } from '../process/is-running.js'

/** One function built for `task-gen dev`: a file a worker imports, and the source files it was built from. */
export interface DevBuild {
  key: string
  /** The request's task: undefined for the on-failure handler's. */
  task: TaskModel | undefined
  file: string
  inputs: Set<string>
}

let generation = 0

/** This process's build folder: two dev runs in one project never touch each other's builds. */
export function ownBuildDir(rootDir: string): string {
  return join(devStateDir(rootDir), 'build', String(process.pid))
}

/** Removes the build folders of dev runs that have ended. */
export function clearStaleBuilds(rootDir: string): void {
  const root = join(devStateDir(rootDir), 'build')
  let entries: string[] = []
  try {
    entries = readdirSync(root)
  } catch {
    return
  }
  for (const entry of entries) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid || !isRunning(pid)) rmSync(join(root, entry), { recursive: true, force: true })
  }
}

async function buildOne(request: BundleRequest, rootDir: string, outDir: string): Promise<DevBuild> {
  // A new name per build: a worker imports a module once, and ESM caches by URL.
  const file = join(outDir, `${request.key.replace(/\//g, '-')}.${++generation}.mjs`)
  const result = await build({
    ...esbuildOptions(request, rootDir, runtimeModule('dev/post-record')),
    // Readable stack traces that point at the user's source (paths in the map are relative to the output file).
    minify: false,
    sourcemap: 'inline',
    outfile: file,
    write: false,
    metafile: true,
  })
  writeFileSync(`${file}.tmp`, result.outputFiles[0]!.contents)
  renameSync(`${file}.tmp`, file)
  const inputs = new Set(
    Object.keys(result.metafile.inputs)
      .filter((input) => !input.startsWith('<'))
      .map((input) => resolve(rootDir, input)),
  )
  return { key: request.key, task: request.task, file, inputs }
}

/** Builds every function as deployed (same entry, same wrapper), except that failure records go to the dev server. */
export function buildForDev(requests: readonly BundleRequest[], rootDir: string, outDir: string): Promise<Map<string, DevBuild>> {
  mkdirSync(outDir, { recursive: true })
  return buildEach(requests, rootDir, (request) => buildOne(request, rootDir, outDir))
}
