import type { ConfigPath } from '../errors/problem.js'

/**
 * A lenient walk over the config as parsed, before (or despite) validation, so that checks on
 * handler files and derived names report their problems together with the schema's.
 */

export interface RawHandlerFile {
  /** Where the file path is written in the config. */
  path: ConfigPath
  file: string
}

export interface RawTask {
  stack: string
  task: string
  path: ConfigPath
  value: unknown
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : []
}

function consumerFile(consumer: unknown, path: ConfigPath): RawHandlerFile | undefined {
  if (typeof consumer === 'string') return { path, file: consumer }
  if (!isObject(consumer)) return undefined
  const code = consumer.code
  if (typeof code === 'string') return { path: [...path, 'code'], file: code }
  if (isObject(code) && typeof code.file === 'string') return { path: [...path, 'code', 'file'], file: code.file }
  return undefined
}

export function rawTasks(raw: unknown): RawTask[] {
  const tasks: RawTask[] = []
  for (const [stack, body] of entries(isObject(raw) ? raw.stacks : undefined)) {
    for (const [task, value] of entries(isObject(body) ? body.tasks : undefined)) {
      tasks.push({ stack, task, path: ['stacks', stack, 'tasks', task], value })
    }
  }
  return tasks
}

export function rawHandlerFiles(raw: unknown): RawHandlerFile[] {
  const files: RawHandlerFile[] = []
  const add = (file: RawHandlerFile | undefined) => file && file.file !== '' && files.push(file)
  if (isObject(raw)) add(consumerFile(raw.onFailure, ['onFailure']))
  for (const { path, value } of rawTasks(raw)) {
    add(typeof value === 'string' ? { path, file: value } : isObject(value) ? consumerFile(value.consumer, [...path, 'consumer']) : undefined)
  }
  return files
}
