import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const created: string[] = []

/** A new folder under the system temp folder; removeTempDirs() deletes every one made so far. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `task-gen-${label}-`))
  created.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
}
