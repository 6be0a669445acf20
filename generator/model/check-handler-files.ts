import { resolve } from 'node:path'
import { formatPath, type Problem, type SourceLocation, type ConfigPath } from '../errors/problem.js'
import type { FileSystem } from '../fs/file-system.js'
import { rawHandlerFiles } from '../config/raw-tasks.js'

/** Every handler file named in the config must exist; the message gives the path as written and as resolved. */
export function checkHandlerFiles(raw: unknown, rootDir: string, fs: FileSystem, locate: (path: ConfigPath) => SourceLocation | undefined): Problem[] {
  const problems: Problem[] = []
  for (const { path, file } of rawHandlerFiles(raw)) {
    const resolved = resolve(rootDir, file)
    if (fs.isFile(resolved)) continue
    const location = locate(path)
    problems.push({
      code: 'file_not_found',
      path: formatPath(path),
      message: `handler file "${file}" not found (resolved to ${resolved})`,
      ...(location ? { location } : {}),
    })
  }
  return problems
}
