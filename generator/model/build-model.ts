import { dirname, resolve } from 'node:path'
import { idempotencyTableName, onFailureResourceNames, taskResourceNames, type TaskNameParts } from '../../runtime/names.js'
import { formatPath, type ConfigPath } from '../errors/problem.js'
import { parseCron } from '../config/cron.js'
import { parseRate, type ScheduleConfig } from '../config/schedule.js'
import type { Config, FunctionDefaults, FunctionObject, TaskConfig } from '../config/schema.js'
import { DEFAULTS } from './defaults.js'
import { handlerFile } from './handler-file.js'
import type { FunctionModel, IdempotencyModel, Model, ScheduleModel, StackModel, TaskModel } from './model.js'
import { scheduleNames } from './schedule-names.js'
import { resolveQueue } from './queues.js'
import { resolveTopics } from './topics.js'
import { PAYLOAD_DEFAULTS, payloadBucketName } from '../../runtime/payloads.js'

type Consumer = string | FunctionObject
/** The absolute file a handler path as written names. */
type EntryOf = (written: string) => string

/** Resolved once in buildModel; every resolve step reads it. */
interface ModelContext {
  config: Config
  stage: string
  /** The absolute file a handler path as written names. */
  entryOf: EntryOf
}

/** What the model takes from the project beside the config. */
export interface ProjectFacts {
  /** The version in the app's package.json: the client's when the config sets none. */
  appVersion?: string
  /** Whether a file exists: a handler path `./x.js` names `./x.ts` when that exists. @default none does */
  isFile?: (path: string) => boolean
}
type BundleOptions = { minify?: boolean; external?: string[]; sourcemap?: boolean }

function normaliseCode(consumer: Consumer, path: ConfigPath): { fn: Partial<FunctionObject>; file: string; filePath: ConfigPath; bundle: BundleOptions } {
  if (typeof consumer === 'string') return { fn: {}, file: consumer, filePath: path, bundle: {} }
  if (typeof consumer.code === 'string') return { fn: consumer, file: consumer.code, filePath: [...path, 'code'], bundle: {} }
  return { fn: consumer, file: consumer.code.file, filePath: [...path, 'code', 'file'], bundle: consumer.code }
}

/** One function's settings: its own, else defaults.function's, else task-gen's defaults. */
function resolveFunction({ config, entryOf }: ModelContext, consumer: Consumer, path: ConfigPath): FunctionModel {
  const defaults: FunctionDefaults = config.defaults?.function ?? {}
  const { fn, file, filePath, bundle } = normaliseCode(consumer, path)
  const defaultBundle = defaults.code ?? {}
  return {
    entry: entryOf(file),
    entryAsWritten: file,
    entryPath: formatPath(filePath),
    handler: fn.handler ?? defaults.handler,
    bundle: {
      minify: bundle.minify ?? defaultBundle.minify ?? DEFAULTS.minify,
      external: [...new Set([...DEFAULTS.alwaysExternal, ...(defaultBundle.external ?? []), ...(bundle.external ?? [])])],
      sourcemap: bundle.sourcemap ?? defaultBundle.sourcemap ?? DEFAULTS.sourcemap,
    },
    runtime: fn.runtime ?? defaults.runtime ?? DEFAULTS.runtime,
    architecture: fn.architecture ?? defaults.architecture ?? DEFAULTS.architecture,
    memoryMb: fn.memorySize ?? defaults.memorySize ?? DEFAULTS.memoryMb,
    timeoutSeconds: fn.timeout ?? defaults.timeout ?? DEFAULTS.timeoutSeconds,
    ephemeralStorageMb: fn.ephemeralStorageSize ?? defaults.ephemeralStorageSize ?? DEFAULTS.ephemeralStorageMb,
    environment: { ...defaults.environment, ...fn.environment },
    logRetentionDays: fn.logRetention ?? defaults.logRetention ?? DEFAULTS.logRetentionDays,
    reservedConcurrency: fn.reservedConcurrency ?? defaults.reservedConcurrency,
    permissions: [...(defaults.permissions ?? []), ...(fn.permissions ?? [])],
    vpc: fn.vpc ?? defaults.vpc,
    layers: fn.layers ?? defaults.layers ?? [],
    description: fn.description ?? defaults.description,
  }
}

/** A validated schedule: its expression as Scheduler takes it, and its timing parsed for dev. */
function resolveSchedule(schedule: ScheduleConfig, path: ConfigPath, names: ScheduleModel['names']): ScheduleModel {
  const common = { path, names, timezone: schedule.timezone ?? DEFAULTS.scheduleTimezone, payload: schedule.payload, enabled: schedule.enabled ?? true }
  if (schedule.cron !== undefined) {
    const parsed = parseCron(schedule.cron)
    if (!parsed.ok) throw new Error(`task-gen: a validated cron expression did not parse: ${schedule.cron}`)
    return { ...common, expression: `cron(${schedule.cron.trim().split(/\s+/).join(' ')})`, timing: { kind: 'cron', cron: parsed.cron } }
  }
  const rate = parseRate(schedule.rate!)
  if (typeof rate === 'string') throw new Error(`task-gen: a validated rate did not parse: ${schedule.rate}`)
  return { ...common, expression: rate.expression, timing: { kind: 'rate', seconds: rate.seconds } }
}

function resolveSchedules(schedule: ScheduleConfig | ScheduleConfig[] | undefined, path: ConfigPath, parts: TaskNameParts): ScheduleModel[] {
  if (schedule === undefined) return []
  if (!Array.isArray(schedule)) return [resolveSchedule(schedule, [...path, 'schedule'], scheduleNames(parts, undefined))]
  return schedule.map((one, i) => resolveSchedule(one, [...path, 'schedule', i], scheduleNames(parts, i)))
}

function resolveTask(context: ModelContext, { stack, name }: { stack: string; name: string }, task: TaskConfig): TaskModel {
  const { config, stage } = context
  const path: ConfigPath = ['stacks', stack, 'tasks', name]
  const object = typeof task === 'string' ? { consumer: task } : task
  const consumerPath = typeof task === 'string' ? path : [...path, 'consumer']
  const fn = resolveFunction(context, object.consumer, consumerPath)
  const parts: TaskNameParts = { app: config.app, stage, stack, task: name }
  return {
    stack,
    name,
    path: formatPath(path),
    retryAttempts: object.retryAttempts ?? config.defaults?.retryAttempts ?? DEFAULTS.retryAttempts,
    maxEventAgeSeconds: object.maxEventAge ?? config.defaults?.maxEventAge ?? DEFAULTS.maxEventAgeSeconds,
    function: fn,
    names: taskResourceNames(parts),
    schedules: resolveSchedules(typeof task === 'string' ? undefined : task.schedule, path, parts),
    subscribe: typeof task === 'string' ? [] : [...new Set(task.subscribe ?? [])],
    delay: typeof task === 'string' ? false : task.delay === true,
    queue: resolveQueue(typeof task === 'string' ? undefined : task.queue, { parts, path, timeoutSeconds: fn.timeoutSeconds }),
    idempotency: resolveIdempotency(typeof task === 'string' ? undefined : task.idempotency, { parts, path }),
  }
}

function resolveIdempotency(
  idempotency: Exclude<TaskConfig, string>['idempotency'],
  { parts, path }: { parts: TaskNameParts; path: ConfigPath },
): IdempotencyModel | undefined {
  if (idempotency === undefined) return undefined
  return {
    path: formatPath([...path, 'idempotency']),
    tableName: idempotencyTableName(parts),
    windowSeconds: idempotency.window ?? DEFAULTS.idempotencyWindowSeconds,
  }
}

/** Normalises a validated config into the model. Pure but for `project`: all checks have run before. */
export function buildModel({ config, configFile, stage, project = {} }: { config: Config; configFile: string; stage: string; project?: ProjectFacts }): Model {
  const rootDir = dirname(configFile)
  const isFile = project.isFile ?? (() => false)
  const context: ModelContext = { config, stage, entryOf: (written) => handlerFile(rootDir, written, isFile) }
  const stacks: StackModel[] = Object.entries(config.stacks).map(([stack, body]) => ({
    name: stack,
    path: formatPath(['stacks', stack]),
    tasks: Object.entries(body.tasks).map(([name, task]) => resolveTask(context, { stack, name }, task)),
  }))
  const onFailure =
    config.onFailure === undefined
      ? undefined
      : {
          path: 'onFailure',
          function: resolveFunction(context, config.onFailure, ['onFailure']),
          names: onFailureResourceNames(config.app, stage),
          maxReceives: (typeof config.onFailure === 'object' ? config.onFailure.maxReceives : undefined) ?? DEFAULTS.onFailureMaxReceives,
        }
  return {
    configFile,
    rootDir,
    app: config.app,
    stage,
    region: config.region,
    client: {
      name: config.client?.name ?? DEFAULTS.clientName(config.app),
      outDir: resolve(rootDir, config.client?.outDir ?? DEFAULTS.clientOutDir),
      version: config.client?.version ?? project.appVersion ?? DEFAULTS.clientVersion,
    },
    backend: config.backend?.s3
      ? {
          kind: 's3',
          bucket: config.backend.s3.bucket,
          keyPrefix: config.backend.s3.keyPrefix ?? DEFAULTS.stateKeyPrefix,
          region: config.backend.s3.region ?? config.region,
          lockTable: config.backend.s3.lockTable,
        }
      : { kind: 'local', stateDir: resolve(rootDir, DEFAULTS.stateDir, stage) },
    onFailure,
    stacks,
    payloads: config.payloads && {
      offloadAboveBytes: config.payloads.offloadAbove ?? PAYLOAD_DEFAULTS.offloadAboveBytes,
      maxBytes: config.payloads.maxSize ?? PAYLOAD_DEFAULTS.maxBytes,
      bucket: payloadBucketName(config.app, stage),
    },
    topics: resolveTopics(config, { stage, rootDir, isFile }),
    warnings: [],
  }
}
