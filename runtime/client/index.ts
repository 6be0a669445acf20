/** The runtime of the generated client package: bundled into it by `task-gen generate`. */
export { createTaskClient } from './create-client.js'
export { invokeTask, MAX_EVENT_PAYLOAD_BYTES, type TaskAccepted, type TaskCallOptions } from './invoke.js'
export { configure, type ClientSettings } from './lambda-client.js'
export { TaskInvokeError, type TaskInvokeErrorCode } from './errors.js'
export type { TaskBatchOptions, TaskBatchResult } from './batch.js'
export { mockTasks, type TaskMock, type RecordedTaskCall } from './testing.js'
export { validate, type ValidationIssue } from '../validate.js'
export type { ClientManifest } from './manifest.js'
