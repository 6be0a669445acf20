/** The runtime of the generated client package: bundled into it by `task-gen generate`. */
export { createTaskClient, createTopicClient } from './create-client.js'
export {
  invokeTask,
  MAX_EVENT_PAYLOAD_BYTES,
  type FifoTaskOptions,
  type IdempotencyOptions,
  type TaskAccepted,
  type TaskCallOptions,
  type TaskQueueCallOptions,
  type TaskQueueSendOptions,
  type TaskSendOptions,
} from './invoke.js'
export type { TaskDelayOptions } from './delay.js'
export type { DurationText } from '../duration.js'
export { publishToTopic, MAX_TOPIC_MESSAGE_BYTES, type TopicPublished, type TopicPublishOptions } from './publish.js'
export { configure, type ClientSettings, type LambdaClientLike, type SnsClientLike, type SqsClientLike } from './lambda-client.js'
export { TaskInvokeError, TopicPublishError, type TaskInvokeErrorCode, type TopicPublishErrorCode } from './errors.js'
export type { BatchCallOptions, TaskBatchOptions, TaskBatchResult } from './batch.js'
export { mockTasks, type TaskMock, type RecordedTaskCall } from './testing.js'
export { validate, type ValidationIssue } from '../validate.js'
export { taskManifest, type ClientManifest } from './manifest.js'
export { decodeFailure as decodeFailureRecord, type TaskFailure, type DecodedFailure } from '../failures/decode-failure.js'
export { NonRetryableError } from '../handler/non-retryable-error.js'
