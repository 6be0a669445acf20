import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

function tempSibling(dir: string, label: string): string {
  return `${dir}.${label}-${process.pid}-${Date.now().toString(36)}`
}

/**
 * Replaces `dir` with exactly `files`: written into a sibling folder first, then swapped in with
 * renames, so that a failure at any point leaves the previous contents as they were.
 */
export function writeDirectoryAtomically(dir: string, files: ReadonlyMap<string, string>): void {
  mkdirSync(dirname(dir), { recursive: true })
  const staging = tempSibling(dir, 'tmp')
  try {
    for (const [path, text] of files) {
      mkdirSync(dirname(join(staging, path)), { recursive: true })
      writeFileSync(join(staging, path), text)
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    throw error
  }
  const previous = existsSync(dir) ? tempSibling(dir, 'old') : undefined
  if (previous) renameSync(dir, previous)
  try {
    renameSync(staging, dir)
  } catch (error) {
    if (previous) renameSync(previous, dir)
    rmSync(staging, { recursive: true, force: true })
    throw error
  }
  if (previous) rmSync(previous, { recursive: true, force: true })
}

/** Files that differ between `dir` and `files`: changed, missing or extra, sorted. */
export function staleFiles(dir: string, files: ReadonlyMap<string, string>): string[] {
  const onDisk = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(dir, path)).isFile()) : []
  const stale = new Set<string>()
  for (const [path, text] of files) {
    const full = join(dir, path)
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) stale.add(path)
  }
  for (const path of onDisk) if (!files.has(path)) stale.add(path)
  return [...stale].sort()
}
