import { lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { breakerFile } from './file-lock.js'

/** The file task-gen writes into every folder it owns; what is not listed in it is the user's. */
export const MARKER_FILE = '.task-gen-output.json'
/** Held while a run writes the folder; see folder-lock.ts. */
export const LOCK_FILE = '.task-gen-output.lock'
/** Every temporary file task-gen makes inside an output folder starts so; a later run removes leftovers. */
export const TEMP_PREFIX = '.task-gen-tmp-'

export type OutputKind = 'client' | 'synth'

const MARKER_VERSION = 1
/** Far above any real marker; a larger file is not read into memory. */
const MAX_MARKER_BYTES = 16 * 1024 * 1024

export interface OutputMarker {
  generator: 'task-gen'
  /** Of this file's format. */
  version: typeof MARKER_VERSION
  kind: OutputKind
  /** Every file task-gen wrote, relative to the folder, `/`-separated, sorted. */
  files: string[]
}

/** A temporary file's whole name: the prefix, the writing process's pid, 12 hex digits. */
const TEMP_NAME = /^\.task-gen-tmp-([1-9]\d*)-[0-9a-f]{12}$/

/** The name of a new temporary file of this process. */
export function tempFileName(random: string): string {
  return `${TEMP_PREFIX}${process.pid}-${random}`
}

/** The pid that wrote a temporary file of task-gen's, or undefined when `name` is not exactly one (a user's file that merely starts alike). */
export function tempFilePid(name: string): number | undefined {
  const match = TEMP_NAME.exec(name)
  return match ? Number(match[1]) : undefined
}

/** Names task-gen keeps for itself in an output folder: never a package file, never the user's. */
export function isReservedName(name: string): boolean {
  return name === MARKER_FILE || name === LOCK_FILE || name === breakerFile(LOCK_FILE) || tempFilePid(name) !== undefined
}

/**
 * A path a marker may list: relative, `/`-separated, without `.`/`..` or empty parts, so that
 * deleting what a marker lists can never reach outside its folder, whoever wrote the marker.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.includes('\\') || path.includes('\0')) return false
  const parts = path.split('/')
  return parts.every((part) => part !== '' && part !== '.' && part !== '..') && !isReservedName(parts[parts.length - 1]!)
}

export function markerText(kind: OutputKind, files: Iterable<string>): string {
  const marker: OutputMarker = { generator: 'task-gen', version: MARKER_VERSION, kind, files: [...new Set(files)].sort() }
  return `${JSON.stringify(marker, null, 2)}\n`
}

export type MarkerRead = { state: 'missing' } | { state: 'invalid'; reason: string } | { state: 'valid'; marker: OutputMarker }

function validate(value: unknown): OutputMarker | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object'
  const { generator, version, kind, files } = value as Record<string, unknown>
  if (generator !== 'task-gen') return 'its "generator" is not "task-gen"'
  if (version !== MARKER_VERSION) return `its "version" is not ${MARKER_VERSION}`
  if (kind !== 'client' && kind !== 'synth') return 'its "kind" is neither "client" nor "synth"'
  if (!Array.isArray(files) || !files.every((file): file is string => typeof file === 'string')) return 'its "files" is not a list of paths'
  const unsafe = files.find((file) => !isSafeRelativePath(file))
  if (unsafe !== undefined) return `it lists ${JSON.stringify(unsafe)}, which is not a path inside the folder`
  return { generator, version, kind, files }
}

/** The folder's marker, read strictly: anything but a marker task-gen could have written is invalid. */
export function readMarker(dir: string): MarkerRead {
  const file = join(dir, MARKER_FILE)
  let text: string
  try {
    const stats = lstatSync(file)
    if (!stats.isFile()) return { state: 'invalid', reason: 'it is not a plain file' }
    if (stats.size > MAX_MARKER_BYTES) return { state: 'invalid', reason: 'it is too large' }
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' }
    throw error
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { state: 'invalid', reason: 'it is not valid JSON' }
  }
  const marker = validate(value)
  return typeof marker === 'string' ? { state: 'invalid', reason: marker } : { state: 'valid', marker }
}
