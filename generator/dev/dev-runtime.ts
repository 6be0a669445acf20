import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { bundleRequests, ON_FAILURE_KEY } from '../bundle/bundle-requests.js'
import { writeDirectoryAtomically } from '../emit/write-directory.js'
import { devStateDir, putLocalFailure } from '../failures/local-store.js'
import { buildClient } from '../generate.js'
import { DEFAULTS } from '../model/defaults.js'
import type { FunctionModel, Model } from '../model/model.js'
import { runEvent, type DevTask, type EventHooks } from './async-events.js'
import { buildForDev, type DevBuild } from './build-tasks.js'
import type { DevOutput } from './dev-output.js'
import type { InvokeTarget } from './lambda-api.js'
import { localFunctionArn, localQueueArn } from './lambda-records.js'
import { deliverToOnFailure } from './on-failure-delivery.js'
import { TaskPool, type AttemptResult } from './task-pool.js'

/** Concurrent attempts per task when it reserves none: enough to show overlap, few enough for a laptop. */
const LOCAL_CONCURRENCY = 10

export interface DevSettings {
  configFile: string
  stage: string | undefined
  /** Delays before the second and third attempt. */
  retryDelaysMs: readonly [number, number]
}

interface Loaded {
  model: Model
  tasks: Map<string, DevTask>
  /** Function name → task key. */
  byFunction: Map<string, string>
  onFailure: TaskPool | undefined
  /** Content hash of each build, to tell which tasks changed. */
  hashes: Map<string, string>
  /** The config, every source file a build read and every file the types came from: what a reload follows. */
  inputs: Set<string>
}

function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/**
 * The tasks `task-gen dev` serves, and how it runs them. `load` builds everything from source;
 * a later `load` swaps in what changed and keeps the rest, and when it fails the last good
 * version keeps serving.
 */
export class DevRuntime {
  private current: Loaded | undefined
  /** Events accepted and not settled yet (running, or waiting for a retry). */
  private pending = 0

  constructor(
    private readonly settings: DevSettings,
    private readonly output: DevOutput,
  ) {}

  get model(): Model | undefined {
    return this.current?.model
  }

  get inputs(): ReadonlySet<string> {
    return this.current?.inputs ?? new Set()
  }

  /** Config → client → builds → pools. Throws a UserError and changes nothing when the project is invalid. */
  async load(): Promise<string[]> {
    const client = await buildClient({ configFile: this.settings.configFile, stage: this.settings.stage })
    const { model, extraction } = client
    const buildDir = join(devStateDir(model.rootDir), 'build')
    // Builds of an earlier run are never used again.
    if (!this.current) rmSync(buildDir, { recursive: true, force: true })
    const builds = await buildForDev(bundleRequests(model, extraction), model.rootDir, buildDir)
    writeDirectoryAtomically(client.outDir, client.files)
    return this.swap(model, builds, extraction.sourceFiles)
  }

  private pool(model: Model, label: string, functionName: string, fn: FunctionModel, build: DevBuild): TaskPool {
    return new TaskPool({
      label,
      bundle: build.file,
      functionName,
      functionArn: localFunctionArn(model.region, functionName),
      environment: { AWS_REGION: model.region, TASK_GEN_STAGE: model.stage, ...fn.environment },
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      concurrency: fn.reservedConcurrency ?? LOCAL_CONCURRENCY,
      onOutput: (line) => this.output.handlerLine(label, line),
    })
  }

  /** Puts the new builds in service; a task whose build did not change keeps its warm workers. Returns what changed. */
  private swap(model: Model, builds: Map<string, DevBuild>, typeFiles: readonly string[]): string[] {
    const previous = this.current
    const inputs = new Set([model.configFile, ...typeFiles])
    const next: Loaded = { model, tasks: new Map(), byFunction: new Map(), onFailure: undefined, hashes: new Map(), inputs }
    const changed: string[] = []
    const reuse = (key: string, build: DevBuild, make: () => TaskPool, old: TaskPool | undefined): TaskPool => {
      const hash = fileHash(build.file)
      next.hashes.set(key, hash)
      for (const input of build.inputs) if (!input.includes('/node_modules/')) next.inputs.add(input)
      if (old && previous?.hashes.get(key) === hash && sameSettings(old, make)) {
        rmSync(build.file, { force: true })
        return old
      }
      changed.push(key)
      old?.retire()
      return make()
    }
    for (const task of model.stacks.flatMap((s) => s.tasks)) {
      const key = `${task.stack}/${task.name}`
      const build = builds.get(key)!
      const name = task.names.function
      const pool = reuse(key, build, () => this.pool(model, `${task.stack}.${task.name}`, name, task.function, build), previous?.tasks.get(key)?.pool)
      next.tasks.set(key, { stack: task.stack, task: task.name, functionName: name, functionArn: localFunctionArn(model.region, name), retryAttempts: task.retryAttempts, maxEventAgeSeconds: task.maxEventAgeSeconds, pool })
      next.byFunction.set(name, key)
    }
    const onFailureBuild = builds.get(ON_FAILURE_KEY)
    if (model.onFailure && onFailureBuild) {
      const { names, function: fn } = model.onFailure
      next.onFailure = reuse(ON_FAILURE_KEY, onFailureBuild, () => this.pool(model, 'on-failure', names.function, fn, onFailureBuild), previous?.onFailure)
    }
    for (const [key, task] of previous?.tasks ?? []) if (!next.tasks.has(key)) task.pool.retire()
    if (previous?.onFailure && next.onFailure !== previous.onFailure) previous.onFailure.retire()
    this.current = next
    return changed
  }

  /** The endpoint's view of a function name: a task of this app and stage, or undefined. */
  target(functionName: string): InvokeTarget | undefined {
    const key = this.current?.byFunction.get(functionName)
    if (key === undefined) return undefined
    return {
      enqueue: (payload, requestId) => void this.runEvent(key, payload, requestId),
      invoke: async (payload, requestId) => {
        const task = this.current!.tasks.get(key)!
        if (task.pool.settings.concurrency === 0) return throttled()
        const result = await task.pool.run(payload, requestId)
        this.output.attempt({ task, requestId, attempt: 1, result }, 1)
        return result
      },
    }
  }

  private async runEvent(key: string, payload: unknown, requestId: string): Promise<void> {
    const hooks: EventHooks = {
      retryDelaysMs: this.settings.retryDelaysMs,
      current: (k) => this.current?.tasks.get(k),
      onAttempt: (report) => this.output.attempt(report, 1 + report.task.retryAttempts),
      onFailure: (task, record) => this.fail(task, record),
    }
    this.pending++
    try {
      await runEvent(key, payload, requestId, hooks)
    } catch (error) {
      this.output.problem(`task-gen dev: internal error while running ${key} ${requestId}: ${(error as Error).stack}`)
    } finally {
      this.pending--
    }
  }

  /** A failure record: kept in the local failure store, and handed to the on-failure handler if there is one. */
  private async fail(task: DevTask, record: Record<string, unknown>): Promise<void> {
    const model = this.current!.model
    const queue = model.stacks.flatMap((s) => s.tasks).find((t) => t.stack === task.stack && t.name === task.task)!.names.failureQueue
    const body = JSON.stringify(record)
    const id = putLocalFailure(model.rootDir, queue, body)
    const condition = (record.requestContext as { condition: string }).condition
    const where = relative(process.cwd(), join(devStateDir(model.rootDir), 'failures', queue, `${id}.json`))
    this.output.info(`${this.output.paint(`${task.stack}.${task.task}`, 'cyan')}  ${this.output.paint(`failed (${condition})`, 'red')}: record kept in ${where}`)
    const onFailure = this.current!.onFailure
    if (!onFailure || !model.onFailure) return
    const delivered = await deliverToOnFailure(onFailure, body, localQueueArn(model.region, queue), {
      maxReceives: DEFAULTS.onFailureMaxReceives,
      redeliveryDelayMs: this.settings.retryDelaysMs[0],
    })
    if (delivered.handled) this.output.info(`on-failure  handled the record of ${task.stack}.${task.task} (receive ${delivered.receives})`)
    else {
      putLocalFailure(model.rootDir, model.onFailure.names.failureQueue, body)
      this.output.problem(`on-failure  rejected the record of ${task.stack}.${task.task} ${delivered.receives} times; moved to the local dead-letter queue ${model.onFailure.names.failureQueue}`)
    }
  }

  /** Stops every worker, busy or not; returns how many events were still unsettled (they are dropped, as dev keeps no queue on disk). */
  close(): number {
    for (const task of this.current?.tasks.values() ?? []) task.pool.close()
    this.current?.onFailure?.close()
    return this.pending
  }
}

function sameSettings(old: TaskPool, make: () => TaskPool): boolean {
  const fresh = make().settings
  const { bundle: _a, onOutput: _b, ...a } = old.settings
  const { bundle: _c, onOutput: _d, ...b } = fresh
  return JSON.stringify(a) === JSON.stringify(b)
}

/** What Lambda answers a synchronous invoke of a function with reserved concurrency 0. */
function throttled(): AttemptResult {
  return { ok: false, timedOut: false, durationMs: 0, records: [], error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded: the reserved concurrency is 0', stackTrace: [] } }
}
