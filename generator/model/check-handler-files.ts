import { sep } from 'node:path'
import { formatPath, type Problem, type SourceLocation, type ConfigPath } from '../errors/problem.js'
import type { FileSystem } from '../fs/file-system.js'
import { rawHandlerFiles } from '../config/raw-tasks.js'
import { handlerFile } from './handler-file.js'

/**
 * Every handler file named in the config must exist, and be readable by TypeScript: it takes a
 * backslash for a folder separator, also where a backslash is a character of a name. The message
 * gives the path as written and as resolved.
 */
export function checkHandlerFiles(raw: unknown, rootDir: string, fs: FileSystem, locate: (path: ConfigPath) => SourceLocation | undefined): Problem[] {
  const problems: Problem[] = []
  for (const { path, file } of rawHandlerFiles(raw)) {
    const resolved = handlerFile(rootDir, file, (path) => fs.isFile(path))
    const backslash = sep === '/' && resolved.includes('\\')
    if (!backslash && fs.isFile(resolved)) continue
    const location = locate(path)
    problems.push({
      code: backslash ? 'invalid_value' : 'file_not_found',
      path: formatPath(path),
      message: backslash
        ? `handler file "${file}" has a backslash in its path (resolved to ${resolved}), which TypeScript reads as a folder separator; rename the folder or file`
        : `handler file "${file}" not found (resolved to ${resolved})`,
      ...(location ? { location } : {}),
    })
  }
  return problems
}
