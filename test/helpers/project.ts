import { resolve } from 'node:path'
import { parseJsonc } from '../../generator/config/parse-jsonc.js'
import { rawHandlerFiles } from '../../generator/config/raw-tasks.js'
import { UserError } from '../../generator/errors/problem.js'
import { memoryFileSystem } from '../../generator/fs/file-system.js'
import { loadModel } from '../../generator/model/load-model.js'
import type { Model } from '../../generator/model/model.js'

export const PROJECT = '/project'
export const CONFIG_FILE = `${PROJECT}/task-gen.json`

export interface InMemoryProject {
  /** Handler files referenced by the config that should not exist. @default those whose path contains "missing" */
  missing?: string[]
  stage?: string
}

/** The files the topics' `type` references name (`./src/events.ts#OrderPlaced`). */
function topicTypeFiles(raw: unknown): string[] {
  const topics = (raw as { topics?: unknown } | null)?.topics
  if (typeof topics !== 'object' || topics === null) return []
  return Object.values(topics).flatMap((topic) =>
    typeof topic?.type === 'string' && topic.type.includes('#') ? [topic.type.slice(0, topic.type.lastIndexOf('#'))] : [],
  )
}

function filesFor(text: string, missing: string[]): Record<string, string> {
  const files: Record<string, string> = { [CONFIG_FILE]: text }
  let raw: unknown
  try {
    raw = parseJsonc(text, CONFIG_FILE).value
  } catch {
    return files
  }
  for (const { file } of rawHandlerFiles(raw)) {
    if (!missing.includes(file) && !file.includes('missing')) files[resolve(PROJECT, file)] = 'export default async () => {}'
  }
  for (const file of topicTypeFiles(raw)) if (!missing.includes(file) && !file.includes('missing')) files[resolve(PROJECT, file)] = 'export interface Event {}'
  return files
}

/** Loads a config (object or text) from an in-memory project in which its handler files exist. */
export function loadInMemory(config: unknown, options: InMemoryProject = {}): Model {
  const text = typeof config === 'string' ? config : JSON.stringify(config, null, 2)
  return loadModel({ configFile: CONFIG_FILE, stage: options.stage, fs: memoryFileSystem(filesFor(text, options.missing ?? [])) })
}

/** The problems a config has, as `<path>: <message>` lines, or [] when it loads. */
export function problemsOf(config: unknown, options: InMemoryProject = {}): string[] {
  try {
    loadInMemory(config, options)
    return []
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return error.problems.map((p) => `${p.path}: ${p.message}`)
  }
}

/** The smallest valid config; tests spread their mistakes over it. */
export function minimalConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { app: 'shop', region: 'us-east-1', stacks: { orders: { tasks: { processOrder: './src/process-order.ts' } } }, ...overrides }
}
