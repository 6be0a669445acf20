import { taskQueueDeadLetterName, taskQueueName, type TaskNameParts } from '../../runtime/names.js'
import type { QueueConfig } from '../config/queue.js'
import { isObject, rawTasks } from '../config/raw-tasks.js'
import { formatSeconds, parseDuration } from '../config/units.js'
import { formatPath, type ConfigPath, type Problem, type SourceLocation } from '../errors/problem.js'
import { DEFAULTS } from './defaults.js'
import type { QueueModel } from './model.js'

/** The timeout a task's function gets, from the raw config: its own, else defaults.function's, else task-gen's; undefined when one of them is not a valid duration (the schema says so). */
function rawTimeout(raw: unknown, task: unknown): number | undefined {
  const own = isObject(task) && isObject(task.consumer) ? task.consumer.timeout : undefined
  const defaults = isObject(raw) && isObject(raw.defaults) && isObject(raw.defaults.function) ? raw.defaults.function.timeout : undefined
  const written = own ?? defaults
  if (written === undefined) return DEFAULTS.timeoutSeconds
  const parsed = parseDuration(written)
  return parsed.ok ? parsed.value : undefined
}

/**
 * A queue's visibility timeout must be at least its function's timeout: Lambda refuses the event
 * source mapping otherwise (a message would show again while its first run still works on it).
 * The timeout may come from defaults.function, outside the task, so this reads the raw config,
 * and reports with the schema's problems.
 */
export function checkQueueTimeouts(raw: unknown, locate: (path: ConfigPath) => SourceLocation | undefined): Problem[] {
  const problems: Problem[] = []
  for (const { path, value } of rawTasks(raw)) {
    const queue = isObject(value) ? value.queue : undefined
    if (!isObject(queue) || queue.visibilityTimeout === undefined) continue
    const visibility = parseDuration(queue.visibilityTimeout)
    const timeout = rawTimeout(raw, value)
    if (!visibility.ok || timeout === undefined || visibility.value >= timeout) continue
    const at: ConfigPath = [...path, 'queue', 'visibilityTimeout']
    const location = locate(at)
    const message = `must be at least the function's timeout (${formatSeconds(timeout)}), got "${queue.visibilityTimeout}": a message would be received again while its first run still works on it`
    problems.push({ code: 'invalid_value', path: formatPath(at), message, ...(location ? { location } : {}) })
  }
  return problems
}

/** The validated `queue` of a task, with AWS's and task-gen's defaults (README: config reference). */
export function resolveQueue(
  queue: QueueConfig | undefined,
  { parts, path, timeoutSeconds }: { parts: TaskNameParts; path: ConfigPath; timeoutSeconds: number },
): QueueModel | undefined {
  if (queue === undefined) return undefined
  const fifo = queue.fifo ?? false
  const batchWindowSeconds = queue.batchWindow ?? 0
  return {
    path: formatPath([...path, 'queue']),
    name: taskQueueName(parts, fifo),
    fifo,
    batchSize: queue.batchSize ?? DEFAULTS.queueBatchSize,
    batchWindowSeconds,
    maxConcurrency: queue.maxConcurrency,
    maxReceives: queue.maxReceives ?? DEFAULTS.queueMaxReceives,
    // AWS's advice: six times the function's timeout, plus the batch window (at most 5400 + 300 s, within SQS's 12 hours).
    visibilityTimeoutSeconds: queue.visibilityTimeout ?? timeoutSeconds * 6 + batchWindowSeconds,
    retentionSeconds: queue.retention ?? DEFAULTS.queueRetentionSeconds,
    deadLetterName: fifo ? taskQueueDeadLetterName(parts) : undefined,
  }
}
