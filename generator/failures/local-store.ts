import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { devStateDir } from '../dev/state.js'
import type { FailureQueue, FailureStore } from './failure-store.js'

function queueDir(rootDir: string, queue: string): string {
  return join(devStateDir(rootDir), 'failures', queue)
}

export function localFailureFile(rootDir: string, queue: string, id: string): string {
  return join(queueDir(rootDir, queue), `${id}.json`)
}

/** Adds a record to a local failure queue, atomically; names sort by time, as a queue reads. */
export function putLocalFailure(rootDir: string, queue: string, body: string): string {
  const dir = queueDir(rootDir, queue)
  mkdirSync(dir, { recursive: true })
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}`
  writeFileSync(join(dir, `.${id}.tmp`), body)
  renameSync(join(dir, `.${id}.tmp`), join(dir, `${id}.json`))
  return id
}

function localQueue(dir: string, name: string): FailureQueue {
  const held = new Set<string>()
  return {
    name,
    async receive(max) {
      let files: string[]
      try {
        files = readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .sort()
      } catch {
        return []
      }
      const ids = files
        .map((f) => f.slice(0, -'.json'.length))
        .filter((id) => !held.has(id))
        .slice(0, max)
      for (const id of ids) held.add(id)
      return ids.flatMap((id) => {
        const file = join(dir, `${id}.json`)
        try {
          return [{ id, body: readFileSync(file, 'utf8'), sentAt: statSync(file).mtimeMs }]
        } catch {
          // Taken in between (dev moved it to the dead-letter queue): it is no longer here to read.
          return []
        }
      })
    },
    async release(messages) {
      for (const message of messages) held.delete(message.id)
    },
    async delete(message) {
      rmSync(join(dir, `${message.id}.json`), { force: true })
      held.delete(message.id)
    },
  }
}

/** The failure records `task-gen dev` keeps under `.task-gen/dev/failures/<queue>/`, one file each. */
export function localFailureStore(rootDir: string): FailureStore {
  return {
    async queue(name) {
      return localQueue(queueDir(rootDir, name), name)
    },
  }
}
