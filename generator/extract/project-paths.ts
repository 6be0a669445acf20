import { resolve } from 'node:path'
import type { ProtectedPath } from '../fs/output-folder.js'
import { devStateDir } from '../dev/state.js'
import { DEFAULTS } from '../model/defaults.js'
import type { Model } from '../model/model.js'
import type { Extraction } from './extract.js'
import { extractionCacheDir } from './extraction-cache.js'

/** Every handler file of the app: the tasks' and the on-failure handler's. */
export function handlerEntries(model: Model): string[] {
  const tasks = model.stacks.flatMap((s) => s.tasks)
  return [...tasks.map((t) => t.function.entry), ...(model.onFailure ? [model.onFailure.function.entry] : [])]
}

/**
 * What no output folder may be or contain: the config, the project folder (and so its
 * ancestors), task-gen's state, and every file the handlers are read from.
 */
export function projectPaths(model: Model, extraction: Extraction): ProtectedPath[] {
  return [
    { path: model.rootDir, what: 'the project folder' },
    { path: model.configFile, what: 'the config file' },
    { path: resolve(model.rootDir, DEFAULTS.stateDir), what: "task-gen's Terraform state" },
    { path: devStateDir(model.rootDir), what: "task-gen dev's state" },
    { path: extractionCacheDir(model.rootDir), what: "task-gen's extraction cache" },
    ...handlerEntries(model).map((path) => ({ path, what: 'a handler file' })),
    ...extraction.sourceFiles.map((path) => ({ path, what: 'a source file of the handlers', ownable: true as const })),
  ]
}
