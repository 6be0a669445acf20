import type { PayloadSettings } from '../payloads.js'
import type { Schema, SchemaDefs } from '../schema.js'

/** What the generator tells the client about the app: emitted as data into the client package. */
export interface ClientManifest {
  app: string
  /** The stage the client was generated for; TASK_GEN_STAGE overrides it at call time. */
  stage: string
  /** The config's region; AWS_REGION overrides it at call time. */
  region: string
  stacks: Record<string, Record<string, TaskManifest>>
  /** The app's SNS topics, by name; absent when it has none. */
  topics?: Record<string, TaskManifest>
  /** Large-payload offload, in bytes; absent when the app does not offload (a payload over 1 MB is then refused). */
  payloads?: PayloadSettings
  defs: SchemaDefs
}

export interface TaskManifest {
  payload: Schema
  /** Its calls may be delayed (the config's `delay`): its stack has a schedule group and it a schedule role. */
  delay?: true
  /** A task with `queue`: its calls are messages on its own SQS queue (named like its function), not invokes. */
  queue?: { fifo?: true }
  /** A task with `idempotency`: its calls may carry an idempotency key. */
  idempotency?: true
}

/** A task's entry, looked up by own properties only: a name such as `constructor` or `__proto__` is no task. */
export function taskManifest(manifest: ClientManifest, stack: string, task: string): TaskManifest | undefined {
  const tasks = Object.hasOwn(manifest.stacks, stack) ? manifest.stacks[stack] : undefined
  return tasks && Object.hasOwn(tasks, task) ? tasks[task] : undefined
}
