/**
 * The generated package's declarations (templates/index.d.ts and testing.d.ts) tied, one by one,
 * to the runtime they describe (runtime/client, bundled into the package). Type-checked by
 * `npm run typecheck` and by test/generate/client-api.test.ts, which also checks that TIES names
 * every declaration of the templates.
 *
 * - `true` for a `Same` tie: the template's type and the runtime's are assignable to each other.
 * - `true` for a `Narrows` tie: the template types what the runtime leaves open (payloads, stack and
 *   task names, by the config); it is assignable to the runtime's type, or the runtime's to it, as
 *   values flow (what the runtime returns is read as the template's; what it implements is called
 *   as the template's).
 * - `'config'`: made from the config only, with nothing in the runtime to agree with.
 */
import type * as Client from '../../templates/index.js'
import type * as ClientTesting from '../../templates/testing.js'
import type * as Runtime from '../../runtime/client/index.js'
import type * as RuntimeTesting from '../../runtime/client/testing.js'
import type { TaskInvoker as RuntimeInvoker, TopicPublisher as RuntimePublisher } from '../../runtime/client/create-client.js'

// A config's tasks, as `task-gen generate` writes them into TaskPayloads.
declare module '../../templates/index.js' {
  interface TaskPayloads {
    orders: { place: { orderId: string; items: { sku: string; quantity: number }[] } }
    reports: { nightly: { day: string } | undefined }
  }
  interface TopicPayloads {
    orderPlaced: { orderId: string; total: number }
    tick: undefined
  }
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Assignable<From, To> = [From] extends [To] ? true : false
type Both<A extends boolean, B extends boolean> = A extends true ? B : false

/** A class's instances and constructor parameters, compared apart: only the instance is public API. */
type SameClass<A extends abstract new (...args: any) => any, B extends abstract new (...args: any) => any> = Both<
  Same<WithoutSymbolKeys<InstanceType<A>>, WithoutSymbolKeys<InstanceType<B>>>,
  Same<ConstructorParameters<A>, ConstructorParameters<B>>
>
/** The runtime brands a class with a private symbol, which a declaration file cannot name. */
type WithoutSymbolKeys<T> = { [K in keyof T as K extends symbol ? never : K]: T[K] }

type Failure = Client.TaskFailureOf<'orders', 'place'>
/** The failure's fields that the template narrows by the config. */
type Narrowed = 'stack' | 'task' | 'payload'

interface Ties {
  LambdaClientLike: Same<Client.LambdaClientLike, Runtime.LambdaClientLike>
  TaskCallOptions: Same<Client.TaskCallOptions, Runtime.TaskCallOptions>
  SqsClientLike: Same<Client.SqsClientLike, Runtime.SqsClientLike>
  TaskQueueCallOptions: Same<Client.TaskQueueCallOptions, Runtime.TaskQueueCallOptions>
  TaskQueueSendOptions: Same<Client.TaskQueueSendOptions, Runtime.TaskQueueSendOptions>
  FifoTaskOptions: Same<Client.FifoTaskOptions, Runtime.FifoTaskOptions>
  TaskSendOptions: Same<Client.TaskSendOptions, Runtime.TaskSendOptions>
  TaskDelayOptions: Same<Client.TaskDelayOptions, Runtime.TaskDelayOptions>
  DurationText: Same<Client.DurationText, Runtime.DurationText>
  TaskAccepted: Same<Client.TaskAccepted, Runtime.TaskAccepted>
  TaskBatchOptions: Same<Client.TaskBatchOptions, Runtime.TaskBatchOptions>
  IdempotencyOptions: Same<Client.IdempotencyOptions, Runtime.IdempotencyOptions>
  // A batch's options, with keys made per payload, are taken by the runtime's batch.
  BatchOptionsOf: Assignable<
    Client.BatchOptionsOf<Client.TaskPayload<'orders', 'place'>, Client.TaskCallOptions & Client.IdempotencyOptions>,
    Runtime.BatchCallOptions
  >
  TaskBatchResult: Same<Client.TaskBatchResult, Runtime.TaskBatchResult>
  TaskInvokeErrorCode: Same<Client.TaskInvokeErrorCode, Runtime.TaskInvokeErrorCode>
  ValidationIssue: Same<Client.ValidationIssue, Runtime.ValidationIssue>
  TaskInvokeError: SameClass<typeof Client.TaskInvokeError, typeof Runtime.TaskInvokeError>
  NonRetryableError: SameClass<typeof Client.NonRetryableError, typeof Runtime.NonRetryableError>
  MAX_EVENT_PAYLOAD_BYTES: Same<typeof Client.MAX_EVENT_PAYLOAD_BYTES, typeof Runtime.MAX_EVENT_PAYLOAD_BYTES>
  ClientSettings: Same<Client.ClientSettings, Runtime.ClientSettings>
  configure: Same<typeof Client.configure, typeof Runtime.configure>
  // createTaskClient's invokers are called as the template's.
  TaskInvoker: Assignable<RuntimeInvoker, Client.TaskInvoker<Client.TaskPayload<'orders', 'place'>>>
  OptionalTaskInvoker: Assignable<RuntimeInvoker, Client.OptionalTaskInvoker<Client.TaskPayload<'reports', 'nightly'>>>
  FifoTaskInvoker: Assignable<RuntimeInvoker, Client.FifoTaskInvoker<Client.TaskPayload<'orders', 'place'>>>
  // Its stacks and tasks are the config's; each is one of the invokers above.
  Task: 'config'
  SnsClientLike: Same<Client.SnsClientLike, Runtime.SnsClientLike>
  TopicPublishOptions: Same<Client.TopicPublishOptions, Runtime.TopicPublishOptions>
  TopicPublished: Same<Client.TopicPublished, Runtime.TopicPublished>
  TopicPublishErrorCode: Same<Client.TopicPublishErrorCode, Runtime.TopicPublishErrorCode>
  TopicPublishError: SameClass<typeof Client.TopicPublishError, typeof Runtime.TopicPublishError>
  MAX_TOPIC_MESSAGE_BYTES: Same<typeof Client.MAX_TOPIC_MESSAGE_BYTES, typeof Runtime.MAX_TOPIC_MESSAGE_BYTES>
  // createTopicClient's publishers are called as the template's.
  TopicPublisher: Assignable<RuntimePublisher, Client.TopicPublisher<Client.TopicPayloads['orderPlaced']>>
  OptionalTopicPublisher: Assignable<RuntimePublisher, Client.OptionalTopicPublisher<Client.TopicPayloads['tick']>>
  // Its topics are the config's; each is one of the publishers above.
  Topic: 'config'
  TopicPayloads: 'config'
  TopicName: 'config'
  validatePayload: Same<ReturnType<typeof Client.validatePayload>, ReturnType<typeof Runtime.validate>>
  // decodeFailureRecord's failures are read as the template's: the same fields, three of them narrowed.
  TaskFailureOf: Both<Same<Omit<Failure, Narrowed>, Omit<Runtime.TaskFailure, Narrowed>>, Assignable<Failure, Runtime.TaskFailure>>
  TaskFailure: Assignable<Client.TaskFailure, Runtime.TaskFailure>
  DecodedFailure: Assignable<Client.DecodedFailure, Runtime.DecodedFailure>
  decodeFailure: Assignable<ReturnType<typeof Client.decodeFailure>, ReturnType<typeof Runtime.decodeFailureRecord>>
  TaskPayloads: 'config'
  StackName: 'config'
  TaskName: 'config'
  TaskPayload: 'config'
  // testing.d.ts: mockTasks's calls are read as the template's; the mock has the same members.
  RecordedTaskCall: Assignable<ClientTesting.RecordedTaskCall<'orders', 'place'>, Runtime.RecordedTaskCall>
  HandlerOutcome: Assignable<ClientTesting.HandlerOutcome, RuntimeTesting.HandlerOutcome>
  TaskMock: Same<keyof ClientTesting.TaskMock, keyof Runtime.TaskMock>
  mockTasks: Same<keyof ReturnType<typeof ClientTesting.mockTasks>, keyof ReturnType<typeof Runtime.mockTasks>>
}

/** One entry per declaration of the templates; a tie that does not hold is a type error at its name. */
export const TIES: Ties = {
  LambdaClientLike: true,
  TaskCallOptions: true,
  SqsClientLike: true,
  TaskQueueCallOptions: true,
  TaskQueueSendOptions: true,
  FifoTaskOptions: true,
  TaskSendOptions: true,
  TaskDelayOptions: true,
  DurationText: true,
  TaskAccepted: true,
  TaskBatchOptions: true,
  IdempotencyOptions: true,
  BatchOptionsOf: true,
  TaskBatchResult: true,
  TaskInvokeErrorCode: true,
  ValidationIssue: true,
  TaskInvokeError: true,
  NonRetryableError: true,
  MAX_EVENT_PAYLOAD_BYTES: true,
  ClientSettings: true,
  configure: true,
  TaskInvoker: true,
  OptionalTaskInvoker: true,
  FifoTaskInvoker: true,
  Task: 'config',
  SnsClientLike: true,
  TopicPublishOptions: true,
  TopicPublished: true,
  TopicPublishErrorCode: true,
  TopicPublishError: true,
  MAX_TOPIC_MESSAGE_BYTES: true,
  TopicPublisher: true,
  OptionalTopicPublisher: true,
  Topic: 'config',
  TopicPayloads: 'config',
  TopicName: 'config',
  validatePayload: true,
  TaskFailureOf: true,
  TaskFailure: true,
  DecodedFailure: true,
  decodeFailure: true,
  TaskPayloads: 'config',
  StackName: 'config',
  TaskName: 'config',
  TaskPayload: 'config',
  RecordedTaskCall: true,
  HandlerOutcome: true,
  TaskMock: true,
  mockTasks: true,
}
