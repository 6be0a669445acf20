/** The handler-side runtime: bundled into each task's Lambda by `task-gen synth`. */
export { wrapHandler, type TaskSpec, type RecordSender } from './wrap-handler.js'
export { NonRetryableError, isNonRetryable } from './non-retryable-error.js'
export type { FailureRecord } from './failure-record.js'
export { wrapOnFailure, type SqsBatchResponse } from './wrap-on-failure.js'
export type { TaskFailure } from '../failures/decode-failure.js'
