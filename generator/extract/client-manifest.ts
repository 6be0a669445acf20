import type { ClientManifest, TaskManifest } from '../../runtime/client/manifest.js'
import type { Model } from '../model/model.js'
import type { ExtractedTask } from './extract.js'
import type { ExtractedTopic } from './topics.js'
import type { SchemaDefs } from '../../runtime/schema.js'

/** The tasks grouped by stack, each group and each stack in the order extraction found them. */
export function tasksByStack(tasks: readonly ExtractedTask[]): Map<string, ExtractedTask[]> {
  const stacks = new Map<string, ExtractedTask[]>()
  for (const task of tasks) stacks.set(task.stack, [...(stacks.get(task.stack) ?? []), task])
  return stacks
}

/** A task's entry: its payload's schema, and how its calls are sent when not as plain invokes. */
function taskEntry(t: ExtractedTask): TaskManifest {
  return {
    payload: t.schema,
    ...(t.model.delay ? { delay: true as const } : {}),
    ...(t.model.queue ? { queue: t.model.queue.fifo ? { fifo: true as const } : {} } : {}),
    ...(t.model.idempotency ? { idempotency: true as const } : {}),
  }
}

/** What the manifest is built from: the extraction's tasks and topics, and the schema definitions their payloads refer to. */
export interface ManifestSource {
  tasks: readonly ExtractedTask[]
  /** Absent or empty: the app has no topics, and the manifest carries no `topics` key. */
  topics?: readonly ExtractedTopic[]
  defs: SchemaDefs
}

/**
 * The data the client's invoke engine runs on, built beside the extraction it comes from: the
 * client package carries it, and `failures replay` invokes with it without emitting a client.
 */
export function clientManifest(model: Model, { tasks, topics = [], defs }: ManifestSource): ClientManifest {
  // Own properties only: a stack named like an Object.prototype member (`isPrototypeOf`) is a stack, not that member.
  const stacks = Object.fromEntries([...tasksByStack(tasks)].map(([stack, members]) => [stack, Object.fromEntries(members.map((t) => [t.task, taskEntry(t)]))]))
  // Only an app with topics carries them: the manifest of one without stays as it was.
  const topicEntries = topics.length === 0 ? {} : { topics: Object.fromEntries(topics.map((t) => [t.name, { payload: t.schema }])) }
  const payloads = model.payloads ? { payloads: { offloadAbove: model.payloads.offloadAboveBytes, maxSize: model.payloads.maxBytes } } : {}
  return { app: model.app, stage: model.stage, region: model.region, stacks, ...topicEntries, ...payloads, defs }
}
