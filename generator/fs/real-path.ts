import { realpathSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'

/**
 * The path with every symbolic link resolved, for the part of it that exists; the rest is
 * appended as written. Two paths that name the same place compare equal, so a link cannot
 * disguise a folder.
 */
export function realPathOf(path: string): string {
  const absolute = resolve(path)
  const missing: string[] = []
  let existing = absolute
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing.reverse())
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A dangling link, a missing part or a file used as a folder: keep walking up to what exists.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
      const parent = dirname(existing)
      if (parent === existing) return absolute
      missing.push(basename(existing))
      existing = parent
    }
  }
}

/** Whether `path` is `folder` or somewhere below it; both absolute and normalised. */
export function isSameOrInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep)
}
