import type { FailureTaskIndex } from '../../runtime/failures/decode-failure.js'
import type { Model } from './model.js'

/** What a failure-record decoder needs to tell which task of the app a record belongs to. */
export function failureTaskIndex(model: Model): FailureTaskIndex {
  return { app: model.app, tasks: model.stacks.flatMap((s) => s.tasks.map((t) => ({ stack: t.stack, task: t.name }))) }
}
