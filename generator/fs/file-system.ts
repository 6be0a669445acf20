import { existsSync, readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * The file access the generator needs, behind an interface so that tests can run on an
 * in-memory tree.
 */
export interface FileSystem {
  /** The file's text, or undefined when there is no such file. */
  readFile(path: string): string | undefined
  isFile(path: string): boolean
}

export const nodeFileSystem: FileSystem = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  },
  isFile(path) {
    return existsSync(path) && statSync(path).isFile()
  },
}

/** A file system over a plain object of absolute path → contents. */
export function memoryFileSystem(files: Record<string, string>): FileSystem {
  const byPath = new Map(Object.entries(files).map(([path, text]) => [resolve(path), text]))
  return {
    readFile: (path) => byPath.get(resolve(path)),
    isFile: (path) => byPath.has(resolve(path)),
  }
}
