import type { ConfigPath, SourceLocation } from '../errors/problem.js'
import type { FileSystem } from '../fs/file-system.js'

/**
 * What a check of the config as written (before or beside the schema) reads: the parsed document,
 * where it lives, the stage its names are for, the files it names, and where each path is written.
 */
export interface RawConfigCheck {
  raw: unknown
  rootDir: string
  stage: string
  fs: FileSystem
  locate: (path: ConfigPath) => SourceLocation | undefined
}
