import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Project } from 'ts-morph'
import { bundleClientRuntime } from './emit/bundle-client-runtime.js'
import { buildClient, handlerEntries, type GenerateOptions, type GeneratedClient } from './generate.js'
import { loadModel } from './model/load-model.js'
import type { Model } from './model/model.js'

export interface GenerateSession {
  /**
   * Builds the client package in memory, as `buildClient` does. The first call reads every handler
   * file; later calls keep the parsed program and re-read from disk only `changedFiles` (paths of
   * handler or type files that changed, were added or were deleted), or, when it is left out, every
   * source file of the program whose text changed. The config is read again on every call.
   */
  generate(changedFiles?: readonly string[]): Promise<GeneratedClient>
}

/** Re-reads changed files into the project: updated text is re-parsed, deleted files are dropped, new ones added. */
function refresh(project: Project, changedFiles: readonly string[] | undefined): void {
  const paths = changedFiles?.map((file) => resolve(file))
  const files = paths ? paths.map((path) => project.getSourceFile(path) ?? path) : project.getSourceFiles().filter((file) => !file.isInNodeModules())
  for (const file of files) {
    if (typeof file !== 'string') file.refreshFromFileSystemSync()
    else if (existsSync(file)) project.addSourceFileAtPath(file)
  }
  // New imports of changed files (and new handler entries) join the program.
  project.resolveSourceFileDependencies()
}

/**
 * A generator that keeps its state between runs, for watch modes (`task-gen dev`) and editors:
 * regenerating after one handler changed re-parses that file only, and reuses the bundled runtime.
 */
export function createGenerateSession(options: GenerateOptions): GenerateSession {
  let project: Project | undefined
  return {
    async generate(changedFiles) {
      const runtime = bundleClientRuntime() // once per process; started first so that esbuild works while the files are parsed
      let model: Model | undefined
      if (project) refresh(project, changedFiles)
      else {
        // The first run reads the config once: for the files to parse, and for the client.
        model = loadModel({ configFile: options.configFile, stage: options.stage })
        const { handlerProject } = await import('./extract/project.js')
        project = handlerProject(handlerEntries(model))
      }
      await runtime
      return buildClient(options, project, model)
    },
  }
}
