import { watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'

export interface ProjectWatcher {
  /** Watches exactly these folders (each without its subfolders) from now on. */
  watchFolders(folders: Iterable<string>): void
  close(): void
}

/**
 * Calls `onChange` once per burst of changes to the files in the watched folders. Only the
 * folders the project reads are watched, one by one: a recursive watch would walk node_modules.
 */
export function createProjectWatcher(onChange: (files: string[]) => void, quietMs = 150): ProjectWatcher {
  const watchers = new Map<string, FSWatcher>()
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const changed = (folder: string, name: string) => {
    pending.add(join(folder, name))
    clearTimeout(timer)
    timer = setTimeout(() => {
      const files = [...pending]
      pending = new Set()
      onChange(files)
    }, quietMs)
  }
  return {
    watchFolders(folders) {
      const wanted = new Set(folders)
      for (const [folder, watcher] of watchers) {
        if (wanted.has(folder)) continue
        watcher.close()
        watchers.delete(folder)
      }
      for (const folder of wanted) {
        if (watchers.has(folder)) continue
        try {
          const watcher = watch(folder, (_event, name) => name && changed(folder, name.toString()))
          // A watched folder that is deleted ends its watch; the next load watches what exists then.
          watcher.on('error', () => {
            watcher.close()
            watchers.delete(folder)
          })
          watchers.set(folder, watcher)
        } catch {
          // A folder that is gone: the next load says what is missing.
        }
      }
    },
    close() {
      clearTimeout(timer)
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    },
  }
}
