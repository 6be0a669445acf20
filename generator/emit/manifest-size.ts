import { reachableDefs } from '../bundle/bundle-requests.js'
import type { Extraction } from '../extract/extract.js'
import { taskLabel } from '../../runtime/names.js'

/** Bytes of JSON a task's validator takes: its schema and the definitions it reaches. */
export function taskManifestBytes(extraction: Extraction): { task: string; bytes: number }[] {
  return extraction.tasks.map((t) => ({
    task: taskLabel(t.stack, t.task),
    bytes: Buffer.byteLength(JSON.stringify({ payload: t.schema, defs: reachableDefs(t.schema, extraction.defs) })),
  }))
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`
}

/** For generate's summary: the manifest's size, and the task whose validator is the largest. */
export function manifestSizeNote(manifestBytes: number, extraction: Extraction): string {
  const largest = taskManifestBytes(extraction).sort((a, b) => b.bytes - a.bytes)[0]
  const note = `manifest ${kilobytes(manifestBytes)}`
  return largest ? `${note} (largest task: ${largest.task}, ${kilobytes(largest.bytes)})` : note
}
