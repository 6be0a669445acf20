import { taskLabel } from '../names.js'
import { invokeBatch, payloadOptions, validateAhead, type BatchCallOptions, type TaskBatchResult } from './batch.js'
import { TaskInvokeError } from './errors.js'
import { invokeTask, type TaskAccepted, type CallOptions, type TaskTarget } from './invoke.js'
import { taskManifest, type ClientManifest } from './manifest.js'
import { validate, type ValidationIssue } from '../validate.js'
import { sendQueueBatch } from './queue-batch.js'
import { publishToTopic, type TopicPublished, type TopicPublishOptions, type TopicTarget } from './publish.js'

export interface TaskInvoker {
  (payload?: unknown, options?: CallOptions): Promise<TaskAccepted>
  batch(payloads: readonly unknown[], options?: BatchCallOptions): Promise<TaskBatchResult[]>
}

function asInvokeError(stack: string, task: string) {
  return (error: unknown): TaskInvokeError =>
    error instanceof TaskInvokeError
      ? error
      : new TaskInvokeError(`Task ${taskLabel(stack, task)}: ${error instanceof Error ? error.message : String(error)}`, {
          code: 'INVOKE_FAILED',
          stack,
          task,
          functionName: '',
          attempts: 0,
          cause: error,
        })
}

/** The check a batch validates its payloads with ahead of its calls: none when validation is off, or the task unknown (its calls say so). */
function payloadCheck({ manifest, stack, task }: TaskTarget, options: BatchCallOptions): ((payload: unknown) => ValidationIssue[]) | undefined {
  const spec = taskManifest(manifest, stack, task)
  if (!spec || options.validate === false) return undefined
  return (payload) => validate(spec.payload, manifest.defs, payload)
}

function taskInvoker(manifest: ClientManifest, stack: string, task: string): TaskInvoker {
  // Resolved once per task: a call passes only what is its own.
  const target: TaskTarget = { manifest, stack, task }
  const describe = asInvokeError(stack, task)
  const invoker = ((payload?: unknown, options?: CallOptions) => invokeTask(target, payload, options)) as TaskInvoker
  const queued = taskManifest(manifest, stack, task)?.queue !== undefined
  invoker.batch = (payloads, options = {}) => {
    if (queued) return sendQueueBatch(target, payloads, { options, describe })
    // An options function that throws fails its payload's call alone, as any other failure does.
    const optionsOf = payloadOptions(target, options)
    const checked = validateAhead(payloads, payloadCheck(target, options))
    const invoke = async (payload: unknown, index: number) => invokeTask({ ...target, checked: checked(index) }, payload, optionsOf(payload, index))
    return invokeBatch(payloads, { invoke, describe, concurrency: options.concurrency })
  }
  Object.defineProperty(invoker, 'name', { value: taskLabel(stack, task) })
  return Object.freeze(invoker)
}

/**
 * The `Task` object: plain, frozen objects built once from the manifest, so that a property is a
 * task only if the config has it, and nothing here is ever mistaken for a Promise.
 */
export function createTaskClient(manifest: ClientManifest): Record<string, Record<string, TaskInvoker>> {
  // fromEntries defines own properties: no name is special, not even `__proto__`.
  const stacks = Object.entries(manifest.stacks).map(
    ([stack, tasks]) => [stack, Object.freeze(Object.fromEntries(Object.keys(tasks).map((task) => [task, taskInvoker(manifest, stack, task)])))] as const,
  )
  return Object.freeze(Object.fromEntries(stacks))
}

export interface TopicPublisher {
  publish(payload?: unknown, options?: TopicPublishOptions): Promise<TopicPublished>
}

/** The `Topic` object: a frozen publisher per topic of the manifest (none when the app has no topics). */
export function createTopicClient(manifest: ClientManifest): Record<string, TopicPublisher> {
  const topics = Object.keys(manifest.topics ?? {}).map((topic) => {
    // Resolved once per topic, as a task's target is.
    const target: TopicTarget = { manifest, topic }
    return [topic, Object.freeze({ publish: (payload?: unknown, options?: TopicPublishOptions) => publishToTopic(target, payload, options) })] as const
  })
  return Object.freeze(Object.fromEntries(topics))
}
