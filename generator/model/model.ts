import type { OnFailureResourceNames, TaskResourceNames } from '../../runtime/names.js'
import type { PermissionStatement } from '../config/schema.js'
import type { Cron } from '../config/cron.js'
import type { ConfigPath, Problem, SourceLocation } from '../errors/problem.js'
import type { ScheduleNames } from './schedule-names.js'

/**
 * The validated config, normalised: every default merged, every size and duration in AWS units,
 * every path absolute, every AWS name derived. Later stages read only this.
 */
export interface Model {
  /** Absolute path of task-gen.json; relative paths in it are resolved from its folder. */
  configFile: string
  rootDir: string
  app: string
  stage: string
  region: string
  client: ClientModel
  backend: BackendModel
  /** The global on-failure handler, when configured. */
  onFailure: OnFailureModel | undefined
  stacks: StackModel[]
  /** Large-payload offload, when the config has `payloads`: sizes in bytes and the bucket they go to. */
  payloads: PayloadsModel | undefined
  /** The app-wide SNS topics, in config order; empty without `topics`. */
  topics: TopicModel[]
  /** Where a config path is written in task-gen.json, for problems found after loading (a schedule's payload); absent for models built in memory. */
  locate?: (path: ConfigPath) => SourceLocation | undefined
  /** What the config does that works but likely should not (a deprecated runtime): printed, not refused. */
  warnings: Problem[]
}

export interface PayloadsModel {
  /** A payload larger than this, serialized, is stored in the bucket. */
  offloadAboveBytes: number
  /** A larger payload is refused before uploading. */
  maxBytes: number
  bucket: string
}

export interface ClientModel {
  /** npm package name. */
  name: string
  /** Absolute output folder. */
  outDir: string
  /** The package's version: client.version, else the app's package.json version, else 0.0.0. */
  version: string
  /** Where the config sets `client.outDir`, for problems with the folder; undefined when it is the default. */
  outDirLocation?: SourceLocation
}

export type BackendModel =
  /** State files in `stateDir` (absolute), one per stack: `<stack>.tfstate`. */
  { kind: 'local'; stateDir: string } | { kind: 's3'; bucket: string; keyPrefix: string; region: string; lockTable: string | undefined }

export interface StackModel {
  name: string
  /** Config path, for messages: `stacks.orders`. */
  path: string
  tasks: TaskModel[]
}

export interface TaskModel {
  stack: string
  name: string
  /** Config path, for messages: `stacks.orders.tasks.processOrder`. */
  path: string
  retryAttempts: number
  maxEventAgeSeconds: number
  function: FunctionModel
  names: TaskResourceNames
  /** The task's schedules, in config order; empty without `schedule`. */
  schedules: ScheduleModel[]
  /** The topics (by name) whose publishes run this task; empty without `subscribe`. */
  subscribe: string[]
  /** Calls may be delayed (`{ delay }`, `{ at }`): a one-time schedule per call, in the stack's schedule group. */
  delay: boolean
  /** The task's own SQS queue, read by an event source mapping; undefined without `queue`. */
  queue: QueueModel | undefined
  /** Calls may carry an idempotency key, recorded in the task's DynamoDB table; undefined without `idempotency`. */
  idempotency: IdempotencyModel | undefined
}

/** A task's idempotency keys: where they are recorded and how long. */
export interface IdempotencyModel {
  /** Config path: `stacks.orders.tasks.processOrder.idempotency`. */
  path: string
  /** The DynamoDB table: `<function>-idempotency`. */
  tableName: string
  windowSeconds: number
}

/** A task's own SQS queue and how Lambda reads it, every default resolved. */
export interface QueueModel {
  /** Config path: `stacks.orders.tasks.processOrder.queue`. */
  path: string
  /** `<function>-queue`, `<function>-queue.fifo` for FIFO. */
  name: string
  fifo: boolean
  batchSize: number
  batchWindowSeconds: number
  /** undefined: no limit but the function's and the account's. */
  maxConcurrency: number | undefined
  /** Receives of a message; the last failed one writes its failure record. */
  maxReceives: number
  visibilityTimeoutSeconds: number
  retentionSeconds: number
  /** FIFO only: the queue's redrive target (a FIFO queue's dead-letter queue must be FIFO too); undefined for a standard queue, whose redrive goes to the failure queue. */
  deadLetterName: string | undefined
}

/** An app-wide SNS topic. */
export interface TopicModel {
  name: string
  /** Config path: `topics.orderPlaced`. */
  path: string
  /** The configured payload type; undefined: the first subscriber's payload type is the topic's. */
  type: { file: string; exportName: string; written: string } | undefined
  /** The tasks subscribed, in config order. */
  subscribers: { stack: string; task: string }[]
  /** The SNS topic's name: `<app>-<stage>-<topic>`. */
  resourceName: string
}

/** One EventBridge Scheduler schedule of a task. */
export interface ScheduleModel {
  /** Config path of the schedule: `…schedule`, or `…schedule[1]` in a list. */
  path: ConfigPath
  names: ScheduleNames
  /** As Scheduler takes it: `cron(0 3 * * ? *)` or `rate(1 hour)`. */
  expression: string
  /** When it fires, for `task-gen dev`. */
  timing: { kind: 'cron'; cron: Cron } | { kind: 'rate'; seconds: number }
  /** IANA name; "UTC" when the config gives none. */
  timezone: string
  /** What each firing delivers; undefined: no payload. */
  payload: unknown
  enabled: boolean
}

export interface OnFailureModel {
  path: string
  function: FunctionModel
  names: OnFailureResourceNames
  /** Receives of a record before it moves to the dead-letter queue (`names.deadLetterQueue`). */
  maxReceives: number
}

export type LambdaRuntimeId = 'nodejs20.x' | 'nodejs22.x'
export type Architecture = 'arm64' | 'x86_64'

export interface FunctionModel {
  /** Absolute path of the handler file. */
  entry: string
  /** The handler file as written in the config. */
  entryAsWritten: string
  /** Config path of the handler file, for messages. */
  entryPath: string
  /** The export to call; undefined: the default export, else the export named `handler`. */
  handler: string | undefined
  bundle: BundleModel
  runtime: LambdaRuntimeId
  architecture: Architecture
  memoryMb: number
  timeoutSeconds: number
  ephemeralStorageMb: number
  environment: Record<string, string>
  /** 0: kept forever. */
  logRetentionDays: number
  reservedConcurrency: number | undefined
  permissions: PermissionStatement[]
  vpc: { subnetIds: string[]; securityGroupIds: string[] } | undefined
  layers: string[]
  description: string | undefined
}

export interface BundleModel {
  minify: boolean
  /** Always includes "@aws-sdk/*" (the runtime provides the SDK). */
  external: string[]
  sourcemap: boolean
}
