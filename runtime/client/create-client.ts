import { invokeTask, type TaskAccepted, type TaskCallOptions } from './invoke.js'
import type { ClientManifest } from './manifest.js'

export type TaskInvoker = (payload?: unknown, options?: TaskCallOptions) => Promise<TaskAccepted>

/**
 * The `Task` object: plain, frozen objects built once from the manifest, so that a property is a
 * task only if the config has it, and nothing here is ever mistaken for a Promise.
 */
export function createTaskClient(manifest: ClientManifest): Record<string, Record<string, TaskInvoker>> {
  const stacks: Record<string, Record<string, TaskInvoker>> = {}
  for (const [stack, tasks] of Object.entries(manifest.stacks)) {
    const invokers: Record<string, TaskInvoker> = {}
    for (const task of Object.keys(tasks)) {
      const invoker: TaskInvoker = (payload, options) => invokeTask(manifest, stack, task, payload, options)
      Object.defineProperty(invoker, 'name', { value: `${stack}.${task}` })
      invokers[task] = Object.freeze(invoker)
    }
    stacks[stack] = Object.freeze(invokers)
  }
  return Object.freeze(stacks)
}
