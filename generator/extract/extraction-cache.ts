import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Model } from '../model/model.js'
import { packageVersion } from '../package-info.js'
import type { ExtractedTask, Extraction } from './extract.js'
import type { ExtractedTopic } from './topics.js'

// Reading the handlers' types is most of a cold run (bench/README.md), and its result depends only
// on the files the types were read from, the model and task-gen itself. This module must not load
// ts-morph: a hit is worth most when TypeScript is never loaded at all.

/** Bumped when the entry's shape changes; an entry of another format is ignored. */
const CACHE_FORMAT = 1

/** Where the extraction cache lives, beside dev's state: `.task-gen/cache`. */
export function extractionCacheDir(rootDir: string): string {
  return join(rootDir, '.task-gen', 'cache')
}

type StoredTask = Omit<ExtractedTask, 'model'> & { path: string }
type StoredTopic = Omit<ExtractedTopic, 'model'>
type StoredExtraction = Omit<Extraction, 'tasks' | 'topics'> & { tasks: StoredTask[]; topics: StoredTopic[] }

interface CacheEntry {
  format: number
  /** What the extraction was computed from, besides the files: task-gen, ts-morph, the model. */
  key: string
  /** Every file of the program the types were read from (the standard library aside), by content hash. */
  files: Record<string, string>
  extraction: StoredExtraction
  /** Hashes of client declarations already type-checked against this extraction: `generate` need not check them again. */
  checkedClients: string[]
}

/** An entry as stored: with a hash of the rest, so that a file changed or cut short by anyone but task-gen is not trusted. */
type StoredEntry = CacheEntry & { checksum: string }

/** How the cache answered: on a miss, why (`changed: /app/src/types.ts`). */
export type CacheAnswer = { hit: true; checkedClients: string[] } | { hit: false; reason: string }
export type CacheLookup = (CacheAnswer & { hit: true; extraction: Extraction }) | (CacheAnswer & { hit: false })

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : /\.(js|ts)$/.test(entry.name) ? [join(dir, entry.name)] : []))
    .sort()
}

let toolFingerprint: string | undefined

/**
 * task-gen as it runs: its version, ts-morph's (and so TypeScript's), and the content of its own
 * generator code, which holds the compiler options the handlers are read with. A build of
 * unreleased changes is a new fingerprint too, not the version it shares with the last one.
 */
function fingerprint(): string {
  if (toolFingerprint !== undefined) return toolFingerprint
  const hash = createHash('sha256').update(`task-gen ${packageVersion()}\n`)
  const morphEntry = createRequire(import.meta.url).resolve('ts-morph') // resolving only: ts-morph is not loaded
  hash.update(readFileSync(join(dirname(morphEntry), '..', 'package.json')))
  const generatorDir = dirname(dirname(fileURLToPath(import.meta.url)))
  for (const file of filesUnder(generatorDir)) hash.update(`${file.slice(generatorDir.length)}\n`).update(readFileSync(file))
  toolFingerprint = hash.digest('hex')
  return toolFingerprint
}

/** The entry's key: task-gen, and the whole model (tasks, handlers, topics, stage) the extraction reads. */
function entryKey(model: Model): string {
  return sha256(`${fingerprint()}\n${JSON.stringify(model)}`)
}

/** One entry per config and stage: a changed config replaces its entry instead of adding one. */
function entryFile(model: Model): string {
  return join(extractionCacheDir(model.rootDir), `${sha256(`${model.configFile}\n${model.stage}`).slice(0, 32)}.json`)
}

/** A file's text as TypeScript reads it (UTF-8, without a byte order mark), hashed. */
function hashFile(path: string): string | undefined {
  try {
    return sha256(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''))
  } catch {
    return undefined
  }
}

function isEntry(value: unknown): value is CacheEntry {
  const entry = value as Partial<CacheEntry> | null
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.key === 'string' &&
    typeof entry.files === 'object' &&
    entry.files !== null &&
    Array.isArray(entry.checkedClients) &&
    typeof entry.extraction === 'object' &&
    entry.extraction !== null &&
    Array.isArray(entry.extraction.tasks) &&
    Array.isArray(entry.extraction.topics)
  )
}

/** The stored extraction joined again with this model's task and topic objects; undefined when they do not match. */
function rejoin(model: Model, stored: StoredExtraction): Extraction | undefined {
  const tasks = new Map(model.stacks.flatMap((s) => s.tasks).map((t) => [t.path, t]))
  const topics = new Map(model.topics.map((t) => [t.name, t]))
  const joinedTasks: ExtractedTask[] = []
  for (const { path, ...task } of stored.tasks) {
    const taskModel = tasks.get(path)
    if (!taskModel) return undefined
    joinedTasks.push({ ...task, model: taskModel })
  }
  const joinedTopics: ExtractedTopic[] = []
  for (const topic of stored.topics) {
    const topicModel = topics.get(topic.name)
    if (!topicModel) return undefined
    joinedTopics.push({ ...topic, model: topicModel })
  }
  return { ...stored, tasks: joinedTasks, topics: joinedTopics }
}

function readEntry(file: string): CacheEntry | string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return 'no entry'
  }
  try {
    const { checksum, ...value } = JSON.parse(text) as Partial<StoredEntry>
    if (checksum !== sha256(JSON.stringify(value))) return 'corrupt entry'
    return isEntry(value) && value.format === CACHE_FORMAT ? value : 'corrupt entry'
  } catch {
    return 'corrupt entry'
  }
}

function entryText(entry: CacheEntry): string {
  const text = JSON.stringify(entry)
  return `${text.slice(0, -1)},"checksum":${JSON.stringify(sha256(text))}}`
}

/**
 * The extraction stored for this model, when task-gen, the model and every file it was read from
 * are what they were; else why not (`src/types.ts changed`). Never throws: an entry that cannot be
 * trusted is a miss.
 */
export function lookupExtraction(model: Model): CacheLookup {
  const entry = readEntry(entryFile(model))
  if (typeof entry === 'string') return { hit: false, reason: entry }
  if (entry.key !== entryKey(model)) return { hit: false, reason: 'stale entry (task-gen or the config changed)' }
  const changed = Object.entries(entry.files)
    .filter(([path, hash]) => hashFile(path) !== hash)
    .map(([path]) => path)
  if (changed.length > 0) return { hit: false, reason: `changed: ${changed.join(', ')}` }
  const extraction = rejoin(model, entry.extraction)
  if (!extraction) return { hit: false, reason: 'corrupt entry' }
  return { hit: true, extraction, checkedClients: entry.checkedClients }
}

function stored(extraction: Extraction): StoredExtraction {
  return {
    ...extraction,
    tasks: extraction.tasks.map(({ model, ...task }) => ({ ...task, path: model.path })),
    topics: extraction.topics.map(({ model: _model, ...topic }) => topic),
  }
}

/** Writes whole or not at all: a reader never sees half an entry. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  const temp = `${file}.${randomUUID()}.tmp`
  try {
    writeFileSync(temp, text)
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

export interface StoreExtractionOptions {
  model: Model
  extraction: Extraction
  /**
   * Every file the types were read from, standard library aside (package files included), with
   * the text that was parsed: hashed as read, not as on disk now, so that a file saved during
   * the run is a miss next time rather than a hit on the old types.
   */
  files: readonly { path: string; text: string }[]
  checkedClients?: readonly string[]
}

/**
 * Stores an extraction for `lookupExtraction`. The cache only saves time: files that are not on
 * disk, or a folder that cannot be written, leave it as it was.
 */
export function storeExtraction(options: StoreExtractionOptions): void {
  // A project in memory (tests, tools) has no files on disk to compare with next time.
  if (!options.files.every(({ path }) => existsSync(path))) return
  const files: Record<string, string> = {}
  for (const { path, text } of options.files) files[path] = sha256(text)
  const entry: CacheEntry = {
    format: CACHE_FORMAT,
    key: entryKey(options.model),
    files,
    extraction: stored(options.extraction),
    checkedClients: [...(options.checkedClients ?? [])],
  }
  try {
    writeAtomically(entryFile(options.model), entryText(entry))
  } catch {
    // a read-only project: every run reads the types, as without a cache
  }
}

/** Records that client declarations were type-checked against the stored extraction (no-op when the entry is gone or changed). */
export function markClientChecked(model: Model, clientHash: string): void {
  const file = entryFile(model)
  const entry = readEntry(file)
  if (typeof entry === 'string' || entry.key !== entryKey(model) || entry.checkedClients.includes(clientHash)) return
  try {
    writeAtomically(file, entryText({ ...entry, checkedClients: [...entry.checkedClients, clientHash] }))
  } catch {
    // as in storeExtraction
  }
}

/** The hash `markClientChecked` records for a client package: every file, by name. */
export function clientFilesHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256')
  for (const name of [...files.keys()].sort()) hash.update(`${name}\0${files.get(name)!}\0`)
  return hash.digest('hex')
}
