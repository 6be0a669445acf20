import { sep } from 'node:path'
import { configProblems, type Problem } from '../errors/problem.js'
import type { RawConfigCheck } from './raw-config-check.js'
import { rawHandlerFiles } from '../config/raw-tasks.js'
import { handlerFile } from './handler-file.js'

/**
 * Every handler file named in the config must exist, and be readable by TypeScript: it takes a
 * backslash for a folder separator, also where a backslash is a character of a name. The message
 * gives the path as written and as resolved.
 */
export function checkHandlerFiles({ raw, rootDir, fs, locate }: RawConfigCheck): Problem[] {
  const problemAt = configProblems(locate)
  const problems: Problem[] = []
  for (const { path, file } of rawHandlerFiles(raw)) {
    const resolved = handlerFile(rootDir, file, (path) => fs.isFile(path))
    const backslash = sep === '/' && resolved.includes('\\')
    if (!backslash && fs.isFile(resolved)) continue
    problems.push(
      backslash
        ? problemAt(
            'invalid_value',
            path,
            `handler file "${file}" has a backslash in its path (resolved to ${resolved}), which TypeScript reads as a folder separator; rename the folder or file`,
          )
        : problemAt('file_not_found', path, `handler file "${file}" not found (resolved to ${resolved})`),
    )
  }
  return problems
}
