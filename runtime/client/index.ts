/** The runtime of the generated client package: bundled into it by `task-gen generate`. */
export { createTaskClient } from './create-client.js'
export { configure, invokeTask, MAX_EVENT_PAYLOAD_BYTES, type TaskAccepted, type TaskCallOptions } from './invoke.js'
export { TaskInvokeError, type TaskInvokeErrorCode } from './errors.js'
export { validate, type ValidationIssue } from '../validate.js'
export type { ClientManifest } from './manifest.js'
