import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Everything below `root`, without following links: each path with its kind and, for a file,
 * a hash of its bytes. Two equal snapshots mean nothing was added, removed or changed, but for
 * task-gen's own extraction cache (`.task-gen/cache`), which reading the types may fill before a
 * command refuses its output folder.
 */
export function treeSnapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {}
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`
      if (name === 'cache' && rel.split('/').at(-1) === '.task-gen') continue
      const stats = lstatSync(join(root, path))
      if (stats.isSymbolicLink()) entries[path] = `link -> ${readlinkSync(join(root, path))}`
      else if (stats.isDirectory()) {
        entries[path] = 'folder'
        walk(path)
      } else
        entries[path] = `file ${createHash('sha256')
          .update(readFileSync(join(root, path)))
          .digest('hex')}`
    }
  }
  walk('')
  // The .task-gen folder itself may be new only because of the cache.
  for (const path of Object.keys(entries)) if (path.split('/').at(-1) === '.task-gen') delete entries[path]
  return entries
}
