import { MemoryIdempotencyStore } from '../../runtime/handler/idempotency.js'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { bundleRequests, splitBuilds } from '../bundle/bundle-requests.js'
import { keptNote } from '../fs/output-folder.js'
import { localFailureFile, putLocalFailure } from '../failures/local-store.js'
import { createGenerateSession, type GenerateSession } from '../generate-session.js'
import { checkClientFolder, writeClient } from '../generate.js'
import type { FunctionModel, Model, OnFailureModel } from '../model/model.js'
import { runEvent, type AsyncEvent, type DevTask, type EventHooks } from './async-events.js'
import { DevQueues, type QueueBatch } from './dev-queues.js'
import type { DevQueue, QueueMessage } from './dev-queue.js'
import type { SqsTarget } from './sqs-api.js'
import type { SnsTarget } from './sns-api.js'
import { randomUUID } from 'node:crypto'
import { buildForDev, clearStaleBuilds, ownBuildDir, type DevBuild } from './build-tasks.js'
import type { DevOutput } from './dev-output.js'
import type { InvokeTarget } from './lambda-api.js'
import { localFunctionArn, localQueueArn } from './local-arns.js'
import { deliverToOnFailure } from './on-failure-delivery.js'
import { definedVariables, devServiceVariables, passedThrough } from './lambda-environment.js'
import { TaskPool, workerScript, type AttemptResult, type PoolSettings } from './task-pool.js'
import type { FailureRecord } from '../../runtime/handler/failure-record.js'
import { taskKey, taskLabel } from '../../runtime/names.js'

/** One published message as SNS's Lambda event: one record, as SNS sends them (the fields of the AWS guide's example). */
function snsEvent(message: { topicArn: string; messageId: string; text: string; subject: string | undefined }, { region }: { region: string }) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${message.topicArn}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn,
          Subject: message.subject ?? null,
          Message: message.text,
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: 'task-gen-dev',
          SigningCertUrl: `https://sns.${region}.amazonaws.com/task-gen-dev.pem`,
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe`,
          MessageAttributes: {},
        },
      },
    ],
  }
}

/** Concurrent attempts per task when it reserves none: enough to show overlap, few enough for a laptop. */
const LOCAL_CONCURRENCY = 10

export interface DevSettings {
  configFile: string
  stage: string | undefined
  /** Delays before the second and third attempt. */
  retryDelaysMs: readonly [number, number]
  /** The account the local ARNs name (`--account-id`). */
  accountId: string
}

interface Loaded {
  model: Model
  /** By `taskKey`: what identifies a task across reloads (a later attempt runs the task as it is then). */
  tasks: Map<string, DevTask>
  /** By function name: what the Lambda endpoint is asked for. */
  byFunction: Map<string, DevTask>
  onFailure: TaskPool | undefined
  /** Content hash of each build, to tell which tasks changed. */
  hashes: Map<string, string>
  /** The config, every source file a build read and every file the types came from: what a reload follows. */
  inputs: Set<string>
}

function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/** A function dev runs: its config, its build, and the names it goes by. */
interface DevFunction {
  /** How dev's output names it: the task's label, or `on-failure`. */
  label: string
  functionName: string
  fn: FunctionModel
  build: DevBuild
}

/** A failure record as the local failure store keeps it. */
interface KeptRecord {
  /** Its id in the store. */
  id: string
  /** Its JSON text. */
  body: string
}

/** Settings that decide how a worker runs, apart from the build itself. */
function runSettingsOf(settings: PoolSettings): string {
  const { bundle: _bundle, onOutput: _onOutput, keys: _keys, ...rest } = settings
  return JSON.stringify(rest)
}

/**
 * The tasks `task-gen dev` serves, and how it runs them. `load` builds everything from source;
 * a later `load` swaps in what changed and keeps the rest, and when it fails the last good
 * version keeps serving.
 */
export class DevSupervisor {
  private current: Loaded | undefined
  /** Every pool that may still hold a worker: the current ones and those a reload retired (close stops them all). */
  private readonly pools = new Set<TaskPool>()
  private readonly keyStores = new Map<string, MemoryIdempotencyStore>()
  /** Events accepted and not settled yet (running, or waiting for a retry). */
  private pending = 0
  private stopping = false
  private session: GenerateSession | undefined
  /** Runtimes dev has warned about: once each, not on every reload. */
  private readonly warnedRuntimes = new Set<string>()
  /** Dev's endpoint, once it listens: where workers read offloaded payloads. */
  private payloadEndpoint: string | undefined
  /** The task queues, read as their event source mappings read them. */
  private readonly queues = new DevQueues(
    {
      run: (key, batch) => this.runQueueBatch(key, batch),
      redrive: (key, message, deadLetter) => this.redrive(key, { message, deadLetter }),
    },
    (name) => localQueueArn(this.current?.model.region ?? 'us-east-1', this.settings.accountId, name),
  )

  constructor(
    private readonly settings: DevSettings,
    private readonly output: DevOutput,
  ) {
    // Lambda runs in UTC. The time zone is the process's, not a worker's: dev's own output keeps no local times.
    process.env.TZ = ':UTC'
  }

  get model(): Model | undefined {
    return this.current?.model
  }

  get inputs(): ReadonlySet<string> {
    return this.current?.inputs ?? new Set()
  }

  /**
   * Config → client → builds → pools. Throws a UserError and changes nothing when the project is
   * invalid. `changed` are the files that changed since the last load: when the config is not one
   * of them, the type checker re-reads only those (a warm regeneration).
   */
  async load(changed?: readonly string[]): Promise<string[]> {
    const configChanged = changed?.some((file) => file === this.current?.model.configFile) ?? true
    if (!this.session || configChanged) this.session = createGenerateSession({ configFile: this.settings.configFile, stage: this.settings.stage })
    // Only TypeScript can change the types; other inputs (JSON, JavaScript) matter to the builds alone.
    const client = await this.session.generate(configChanged ? undefined : changed?.filter((file) => /\.[cm]?tsx?$/.test(file)))
    const { model, extraction } = client
    this.warnAboutRuntimes(model)
    checkClientFolder(client) // before building: a client folder that is not task-gen's stops the load
    if (!this.current) clearStaleBuilds(model.rootDir)
    const builds = await buildForDev(bundleRequests(model, extraction), model.rootDir, ownBuildDir(model.rootDir))
    const note = keptNote(client.outDir, await writeClient(client))
    if (note && !this.current) this.output.info(note)
    return this.swap(model, builds, extraction.sourceFiles)
  }

  /** Tells workers started from now on to read offloaded payloads from dev's payload bucket at `endpoint`. */
  servePayloadsAt(endpoint: string): void {
    this.payloadEndpoint = endpoint
  }

  /** Says, once per runtime, when the functions deploy to a Node.js major other than the one dev runs them on. */
  private warnAboutRuntimes(model: Model): void {
    const host = `nodejs${process.versions.node.split('.')[0]}.x`
    const byRuntime = new Map<string, string[]>()
    const add = (runtime: string, label: string) => byRuntime.set(runtime, [...(byRuntime.get(runtime) ?? []), label])
    for (const task of model.stacks.flatMap((s) => s.tasks)) add(task.function.runtime, taskLabel(task.stack, task.name))
    if (model.onFailure) add(model.onFailure.function.runtime, 'on-failure')
    for (const [runtime, labels] of byRuntime) {
      if (runtime === host || this.warnedRuntimes.has(runtime)) continue
      this.warnedRuntimes.add(runtime)
      this.output.problem(
        `task-gen dev: warning: ${labels.join(', ')} deploy to ${runtime}, but dev runs them on the Node.js it runs on, ${process.version} (${host}); what one has, the other may lack`,
      )
    }
  }

  /**
   * A worker's whole environment, as Lambda composes it: the shell's credentials (what the role
   * would give), Lambda's defined variables, then the config's (which may set TZ, PATH or LANG, as
   * in Lambda; the reserved names it cannot set).
   */
  private environmentOf(model: Model, { functionName, fn, build }: DevFunction): Record<string, string> {
    const identity = {
      functionName,
      logGroupName: `/aws/lambda/${functionName}`,
      memoryMb: fn.memoryMb,
      region: model.region,
      runtime: fn.runtime,
      taskRoot: dirname(build.file),
      runtimeDir: dirname(workerScript()),
    }
    // As the deployed function, which turns source maps on this way (dev's worker always maps its traces).
    const sourceMaps: Record<string, string> = fn.bundle.sourcemap ? { NODE_OPTIONS: '--enable-source-maps' } : {}
    return { ...passedThrough(process.env), ...definedVariables(identity), ...fn.environment, ...sourceMaps }
  }

  private poolSettings(model: Model, served: DevFunction): PoolSettings {
    const { label, functionName, fn, build } = served
    return {
      label,
      bundle: build.file,
      functionName,
      functionArn: localFunctionArn(model.region, this.settings.accountId, functionName),
      environment: this.environmentOf(model, served),
      // Only an app that offloads gets the variable: a handler sees what Lambda would give it, and nothing of dev's besides.
      serviceEnvironment: () => devServiceVariables(this.current?.model.payloads ? this.payloadEndpoint : undefined),
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      concurrency: fn.reservedConcurrency ?? LOCAL_CONCURRENCY,
      onOutput: (line) => this.output.handlerLine(label, line),
      ...(served.build.task?.idempotency ? { keys: this.keysOf(functionName) } : {}),
    }
  }

  /** A function's idempotency keys: kept across reloads of its code, as its table outlives a deploy. */
  private keysOf(functionName: string): MemoryIdempotencyStore {
    let keys = this.keyStores.get(functionName)
    if (!keys) {
      keys = new MemoryIdempotencyStore()
      this.keyStores.set(functionName, keys)
    }
    return keys
  }

  /** Puts the new builds in service; a task whose build and settings did not change keeps its warm workers. Returns what changed. */
  private swap(model: Model, builds: ReadonlyMap<string, DevBuild>, typeFiles: readonly string[]): string[] {
    const previous = this.current
    const next: Loaded = {
      model,
      tasks: new Map(),
      byFunction: new Map(),
      onFailure: undefined,
      hashes: new Map(),
      inputs: new Set([model.configFile, ...typeFiles]),
    }
    const changed: string[] = []
    const poolFor = (served: DevFunction, old: TaskPool | undefined): TaskPool => {
      const { build } = served
      const { key } = build
      const settings = this.poolSettings(model, served)
      const hash = fileHash(build.file)
      next.hashes.set(key, hash)
      for (const input of build.inputs) if (!input.includes('/node_modules/')) next.inputs.add(input)
      if (old && previous?.hashes.get(key) === hash && runSettingsOf(old.settings) === runSettingsOf(settings)) {
        rmSync(build.file, { force: true })
        return old
      }
      changed.push(key)
      // The events waiting on the old pool move here; retireUnused retires it.
      const pool = new TaskPool(settings, old)
      this.pools.add(pool)
      return pool
    }
    const built = splitBuilds(builds.values())
    for (const build of built.tasks) {
      const { task, key } = build
      const name = task.names.function
      const pool = poolFor({ label: taskLabel(task.stack, task.name), functionName: name, fn: task.function, build }, previous?.tasks.get(key)?.pool)
      const devTask: DevTask = {
        stack: task.stack,
        task: task.name,
        failureQueue: task.names.failureQueue,
        functionName: name,
        functionArn: localFunctionArn(model.region, this.settings.accountId, name),
        retryAttempts: task.retryAttempts,
        maxEventAgeSeconds: task.maxEventAgeSeconds,
        pool,
      }
      next.tasks.set(key, devTask)
      next.byFunction.set(name, devTask)
    }
    const onFailureBuild = built.onFailure
    if (model.onFailure && onFailureBuild) {
      const { names, function: fn } = model.onFailure
      next.onFailure = poolFor({ label: 'on-failure', functionName: names.function, fn, build: onFailureBuild }, previous?.onFailure)
    }
    this.current = next
    this.queues.update(model)
    this.retireUnused()
    return changed
  }

  /** Retires the pools the current tasks no longer use (a replaced build's, or a removed task's); their busy workers finish their attempt first. */
  private retireUnused(): void {
    const used = new Set([...this.current!.tasks.values()].map((t) => t.pool))
    if (this.current!.onFailure) used.add(this.current!.onFailure)
    for (const pool of this.pools) if (!used.has(pool)) pool.retire()
  }

  /** The endpoint's view of a function name: a task of this app and stage, as it is now, or undefined. */
  target(functionName: string): InvokeTarget | undefined {
    const task = this.current?.byFunction.get(functionName)
    if (!task) return undefined
    return {
      functionArn: task.functionArn,
      enqueue: (payload, requestId, invocation) => void this.runEvent(task, { payload, requestId, invocation }),
      invoke: async (payload, requestId, invocation) => {
        if (task.pool.settings.concurrency === 0) return 'throttled'
        const result = await task.pool.run(payload, requestId, { invocation })
        this.output.attempt({ task, requestId, attempt: 1, result }, 1)
        // The wrapper's own records go to the failure queue whatever the invocation type.
        for (const record of result.records) await this.fail(task, record)
        return result
      },
    }
  }

  /** The endpoint's view of the topics: a publish runs each subscriber, as SNS does, with an asynchronous invoke of an SNS event. */
  snsTarget(): SnsTarget {
    return {
      publish: (topicName, message) => {
        const loaded = this.current
        const topic = loaded?.model.topics.find((t) => t.resourceName === topicName)
        if (!loaded || !topic) return false
        this.output.info(`topic       ${topic.name} published: ${message.messageId} → ${topic.subscribers.length} subscriber(s)`)
        for (const subscriber of topic.subscribers) {
          const task = loaded.tasks.get(taskKey(subscriber.stack, subscriber.task))
          if (!task) continue
          const event = snsEvent(message, { region: loaded.model.region })
          void this.runEvent(task, { payload: event, requestId: randomUUID(), invocation: { invokedFunctionArn: task.functionArn } })
        }
        return true
      },
    }
  }

  /** A task queue by its name, as it is now: a queue task's delayed call's schedule sends its message there. */
  taskQueue(queueName: string): DevQueue | undefined {
    return this.queues.queue(queueName)
  }

  /** The endpoint's view of the task queues. */
  sqsTarget(endpoint: string): SqsTarget {
    return this.queues.target(`${endpoint}/${this.settings.accountId}`)
  }

  /** One batch of a task queue, run once as its event source mapping runs it: synchronously, its records kept, its answer read by the queue. */
  private async runQueueBatch(key: string, { event, attempt, maxReceives }: QueueBatch): Promise<AttemptResult | undefined> {
    const task = this.current?.tasks.get(key)
    if (!task || this.stopping || task.pool.settings.concurrency === 0) return undefined
    const requestId = randomUUID()
    this.pending++
    try {
      const result = await task.pool.run(event, requestId, { invocation: { invokedFunctionArn: task.functionArn } })
      this.output.attempt({ task, requestId, attempt, result }, maxReceives)
      for (const record of result.records) await this.fail(task, record)
      return result
    } finally {
      this.pending--
    }
  }

  /** A message whose last receive failed without a failure record (a timeout, a crash): the queue's redrive moves it as it is. */
  private redrive(key: string, { message, deadLetter }: { message: QueueMessage; deadLetter: string }): void {
    const model = this.current?.model
    if (!model || this.stopping) return
    const id = putLocalFailure(model.rootDir, deadLetter, message.body)
    const where = relative(process.cwd(), localFailureFile(model.rootDir, deadLetter, id))
    this.output.problem(`queue       ${key}: message ${message.messageId} failed its last receive (${message.receiveCount}); the redrive moved it to ${where}`)
  }

  private async runEvent(task: DevTask, event: AsyncEvent): Promise<void> {
    const hooks: EventHooks = {
      retryDelaysMs: this.settings.retryDelaysMs,
      current: (key) => this.current?.tasks.get(key),
      onAttempt: (report) => this.output.attempt(report, 1 + report.task.retryAttempts),
      onFailure: (failed, record) => this.fail(failed, record),
      stopping: () => this.stopping,
    }
    this.pending++
    try {
      await runEvent(task, event, hooks)
    } catch (error) {
      this.output.problem(`task-gen dev: internal error while running ${taskLabel(task.stack, task.task)} ${event.requestId}: ${(error as Error).stack}`)
    } finally {
      this.pending--
    }
  }

  /** A failure record: kept in the local failure store, and handed to the on-failure handler if there is one. */
  private async fail(task: DevTask, record: FailureRecord): Promise<void> {
    if (this.stopping) return
    const model = this.current!.model
    const body = JSON.stringify(record)
    const id = putLocalFailure(model.rootDir, task.failureQueue, body)
    const { condition } = record.requestContext
    const where = relative(process.cwd(), localFailureFile(model.rootDir, task.failureQueue, id))
    this.output.info(
      `${this.output.paint(taskLabel(task.stack, task.task), 'cyan')}  ${this.output.paint(`failed (${condition})`, 'red')}: record kept in ${where}`,
    )
    if (model.onFailure) await this.deliver(task, { id, body }, model.onFailure)
  }

  /**
   * Hands a record to the on-failure handler as its event source mapping would. One it keeps
   * rejecting moves from the task's queue to the dead-letter queue, as SQS's redrive does.
   */
  private async deliver(task: DevTask, kept: KeptRecord, onFailure: OnFailureModel): Promise<void> {
    const model = this.current!.model
    const deadLetterQueue = onFailure.names.deadLetterQueue
    const delivered = await deliverToOnFailure(kept.body, {
      pool: () => this.current?.onFailure,
      queueArn: localQueueArn(model.region, this.settings.accountId, task.failureQueue),
      maxReceives: onFailure.maxReceives,
      redeliveryDelayMs: this.settings.retryDelaysMs[0],
      stopping: () => this.stopping,
    })
    if (delivered === 'stopped') return
    const label = taskLabel(task.stack, task.task)
    if (delivered.handled) return this.output.info(`on-failure  handled the record of ${label} (receive ${delivered.receives})`)
    putLocalFailure(model.rootDir, deadLetterQueue, kept.body)
    rmSync(localFailureFile(model.rootDir, task.failureQueue, kept.id), { force: true })
    this.output.problem(`on-failure  rejected the record of ${label} ${delivered.receives} times; moved to the local dead-letter queue ${deadLetterQueue}`)
  }

  /** Stops every worker, busy or not; returns how many events were still unsettled (they are dropped, as dev keeps no queue on disk). */
  close(): number {
    this.stopping = true
    const queued = this.queues.close()
    for (const pool of this.pools) pool.close()
    this.pools.clear()
    if (this.current) rmSync(ownBuildDir(this.current.model.rootDir), { recursive: true, force: true })
    return this.pending + queued
  }
}
