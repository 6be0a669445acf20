import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import type { FailureRecord } from '../../runtime/handler/failure-record.js'
import type { AttemptError, InvokeMessage, KeyAnswerMessage, WorkerMessage } from '../../runtime/dev/protocol.js'
import type { ClaimOutcome, MemoryIdempotencyStore } from '../../runtime/handler/idempotency.js'
import { packageRoot } from '../package-info.js'
import { TAIL_BYTES, type AttemptLog } from './attempt-log.js'
import { logStreamName } from './lambda-environment.js'

/** How one attempt ended, as Lambda would see it. */
export interface AttemptResult {
  ok: boolean
  /** The result as Lambda returns it: JSON text (`null` when the handler returned nothing). */
  body?: string
  error?: AttemptError
  /** The attempt ran past the function's timeout and its worker was stopped. */
  timedOut: boolean
  durationMs: number
  /** Records the task wrapper sent during the attempt (ValidationFailed, NonRetryable). */
  records: FailureRecord[]
  /** What the attempt's log holds (LogType Tail); absent for an attempt that never ran. */
  log?: AttemptLog
}

/** What the caller of one invocation tells the function, beyond the payload. */
export interface Invocation {
  /** The ARN the caller used; the function's unqualified ARN when absent. */
  invokedFunctionArn?: string
  /** The client context, JSON text. */
  clientContext?: string
}

/** How one attempt may run, beyond its payload and request id. */
export interface RunOptions {
  /** The latest it may start, in ms since the epoch: past it, the attempt does not run. @default Infinity */
  startBy?: number
  /** @default {} */
  invocation?: Invocation
}

/** What one worker is sent: the event and its invocation context. */
interface AttemptRequest {
  payload: unknown
  requestId: string
  invocation: Invocation
}

/** What a pool runs: one task's build and the settings Lambda would run it with. */
export interface PoolSettings {
  label: string
  bundle: string
  functionName: string
  functionArn: string
  /** The worker's whole environment: Lambda's defined variables, the config's, the credentials passed through (the log stream is each worker's). */
  environment: Record<string, string>
  /** Variables read when a worker starts, after the others: dev's own endpoints, known only once it listens. @default none */
  serviceEnvironment?: () => Record<string, string>
  memoryMb: number
  timeoutSeconds: number
  /** Most attempts at once (reserved concurrency, else a local default). */
  concurrency: number
  /** Each line the handler prints. */
  onOutput: (line: string) => void
  /** A task with `idempotency`: its keys, kept for the wrapper in its workers (the function's DynamoDB table, deployed). */
  keys?: MemoryIdempotencyStore
}

interface Running {
  resolve: (result: AttemptResult) => void
  requestId: string
  started: number
  records: FailureRecord[]
  /** The last lines the handler printed in this attempt: what its log tail can show. */
  lines: string[]
  timer: NodeJS.Timeout
  /** Samples the worker's resident memory while the attempt runs. */
  sampler: NodeJS.Timeout | undefined
  /** The most resident memory seen, in MB; undefined where it cannot be read. */
  maxMemoryMb: number | undefined
}

interface PoolWorker {
  worker: ChildProcess
  /** Output after the last newline, not a line yet. */
  partial: string
  running: Running | undefined
  /** Stopped or exited: never reused. */
  dead: boolean
  /** Dev stopped it, or it said why it ends: its exit needs no word. */
  stopped: boolean
  /** V8 reported its heap full: the process dies of it. */
  heapExhausted: boolean
  /** Settles once the worker has loaded its bundle (or died, or took too long). */
  ready: Promise<void>
}

function stop(slot: PoolWorker): void {
  slot.stopped = true
  slot.worker.kill('SIGKILL')
}

export function workerScript(): string {
  // Workers run JavaScript: the compiled runtime, even when the generator runs from source (tests).
  const file = join(packageRoot(), 'dist', 'runtime', 'dev', 'worker.js')
  if (!existsSync(file)) throw new Error(`task-gen: ${file} is missing; run \`npm run build\``)
  return file
}

// The wrapper's own JSON log line: dev prints its attempt line instead.
const WRAPPER_LOG = /^\{"taskGen":1[,}]/

function forwardLines(stream: Readable, onOutput: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => showLine(line, onOutput))
}

/** A line of the handler's output as dev shows it: the wrapper's own log line becomes dev's attempt line instead, or says why the handler did not run. */
function showLine(line: string, onOutput: (line: string) => void): void {
  if (!WRAPPER_LOG.test(line)) return onOutput(line)
  // The attempt line says it succeeded; that the handler did not run is the wrapper's to say.
  const skipped = duplicateOf(line)
  if (skipped) onOutput(`skipped: ${skipped}; the handler did not run`)
}

/** A wrapper log line of an event whose idempotency key already ran: why it was skipped. */
function duplicateOf(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { outcome?: unknown; error?: unknown }
    return entry.outcome === 'duplicate' && typeof entry.error === 'string' ? entry.error : undefined
  } catch {
    return undefined
  }
}

/** Keeps an attempt's lines to about twice what a log tail shows: a chatty handler does not grow dev's memory. */
function keepLine(lines: string[], line: string): void {
  lines.push(line)
  let kept = lines.reduce((n, l) => n + l.length + 1, 0)
  while (kept > 2 * TAIL_BYTES && lines.length > 1) kept -= lines.shift()!.length + 1
}

let nextId = 0

let lastFork: Promise<unknown> = Promise.resolve()

/** Longest a fork waits for the one before it to be ready. */
const FORK_READY_WAIT_MS = 2000

/**
 * Starts workers one after the other, each once the one before is ready: a fork blocks dev's
 * event loop, and ten workers booting at once (a burst after a reload) starve dev and its clients.
 */
function forkInTurn(start: () => PoolWorker): Promise<PoolWorker> {
  const started = lastFork.then(start)
  lastFork = started.then((slot) => slot.ready)
  return started
}

/** How often dev reads a running worker's resident memory. */
const MEMORY_SAMPLE_MS = 25

/** A process's resident memory in MB, from /proc (Linux); undefined elsewhere, where only the heap is capped. */
function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb === undefined ? undefined : Number(kb) / 1024
  } catch {
    return undefined
  }
}

/** Lambda's error for a function that outgrew its memory: the runtime was killed. */
function outOfMemory(requestId: string): AttemptError {
  return { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` }
}

/** V8's words when a heap outgrows --max-old-space-size. */
const HEAP_OUT_OF_MEMORY = /heap out of memory|Allocation failed/i

/** The error type of an attempt cut short because dev is stopping: it counts for nothing. */
export const STOPPED = 'TaskGen.Stopped'
/** What Lambda answers for a function whose reserved concurrency is 0. */
export const THROTTLED: AttemptError = { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded: the reserved concurrency is 0' }
/** The error type of an attempt that never started: the event was too old once a worker was free. */
export const EXPIRED = 'TaskGen.EventExpired'

/** Lambda's most for a function's response, in bytes of JSON: "6 MB", counted as its error message says. */
export const MAX_RESPONSE_BYTES = 6_291_556

/** Lambda's answer to a response past its limit: the invocation fails, whatever the handler meant. */
function responseTooLarge(body: string): AttemptError | undefined {
  // Bytes are at most 3 per UTF-16 unit: only a body near the limit needs counting.
  if (body.length * 3 <= MAX_RESPONSE_BYTES || Buffer.byteLength(body) <= MAX_RESPONSE_BYTES) return undefined
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  }
}

/** A worker's answer as Lambda ends the attempt: a body past the limit is the function's error. */
function endOf(message: Extract<WorkerMessage, { kind: 'result' }>): { ok: boolean; body?: string; error?: AttemptError } {
  if (!message.ok) return { ok: false, error: message.error }
  const tooLarge = responseTooLarge(message.body)
  return tooLarge ? { ok: false, error: tooLarge } : { ok: true, body: message.body }
}

function endedEarly(errorType: string, errorMessage: string): AttemptResult {
  return { ok: false, timedOut: false, durationMs: 0, records: [], error: { errorType, errorMessage } }
}

/**
 * The concurrency of one function, shared by the pools of its successive builds: an attempt still
 * running on a replaced build counts, as every instance of a function counts in Lambda.
 */
class Slots {
  private active = 0
  private readonly waiting: ((granted: boolean) => void)[] = []
  private closed = false

  constructor(private limit: number) {}

  get isClosed(): boolean {
    return this.closed
  }

  /** Events waiting for a slot. */
  get waiters(): number {
    return this.waiting.length
  }

  /** A slot now (true), or a wait for one; false when none will come (closed, or a limit of 0). */
  take(): boolean | Promise<boolean> {
    if (this.active < this.limit) {
      this.active++
      return true
    }
    if (this.closed || this.limit === 0) return false
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  release(): void {
    this.active--
    this.handOut()
  }

  setLimit(limit: number): void {
    this.limit = limit
    this.handOut()
  }

  /** Dev is stopping: every waiter gives up. */
  close(): void {
    this.closed = true
    for (const wake of this.waiting.splice(0)) wake(false)
  }

  private handOut(): void {
    // A freed slot goes to the next waiter directly, so a newcomer cannot take it in between.
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++
      this.waiting.shift()!(true)
    }
    // Reserved concurrency 0 now: the waiting events are throttled, as new ones are.
    if (this.limit === 0) for (const wake of this.waiting.splice(0)) wake(false)
  }
}

/**
 * Warm workers for one task build, like Lambda's sandboxes: each runs one attempt at a time and is
 * reused; a worker whose attempt times out or crashes is stopped and replaced. A pool built for a
 * new version of the task replaces the old one: events still waiting for a worker run the new
 * build, attempts already running finish on the old workers, which then stop.
 */
export class TaskPool {
  private readonly idle: PoolWorker[] = []
  private readonly workers = new Set<PoolWorker>()
  private readonly slots: Slots
  /** The pool that replaced this one: waiting and later events run there. */
  private successor: TaskPool | undefined
  private retired = false
  private closed = false

  /**
   * `replaces`: the pool of the task's previous build. From now on its waiting and new events run
   * here, and the two share the task's concurrency; the caller retires it.
   */
  constructor(
    readonly settings: PoolSettings,
    replaces?: TaskPool,
  ) {
    this.slots = replaces?.slots ?? new Slots(settings.concurrency)
    if (!replaces) return
    replaces.successor = this
    this.slots.setLimit(settings.concurrency)
  }

  /**
   * Runs one attempt in a warm worker of the newest build, waiting for a free one when the task is
   * at its concurrency. A closed pool (dev is stopping) runs nothing and says so; concurrency 0 is
   * throttled, as in Lambda; an attempt that could not start by `startBy` (ms since the epoch) does not run.
   */
  async run(payload: unknown, requestId: string, { startBy = Infinity, invocation = {} }: RunOptions = {}): Promise<AttemptResult> {
    // Not awaited when a slot is free: the attempt starts on the build in service at the call.
    const taken = this.slots.take()
    const granted = typeof taken === 'boolean' ? taken : await taken
    if (!granted)
      return this.slots.isClosed
        ? endedEarly(STOPPED, 'task-gen dev stopped before the attempt ended')
        : endedEarly(THROTTLED.errorType, THROTTLED.errorMessage)
    // The build in service once a worker is free: an event that waited through a reload runs the new one.
    const pool = this.newest()
    let slot: PoolWorker | undefined
    try {
      if (pool.closed) return endedEarly(STOPPED, 'task-gen dev stopped before the attempt ended')
      // Waiting for a free worker counts toward the event's age, as a throttled event's does in Lambda.
      if (Date.now() > startBy) return endedEarly(EXPIRED, 'the event grew older than maxEventAge while it waited for a free worker')
      slot = pool.idle.pop()
      if (!slot) {
        slot = await forkInTurn(() => pool.spawn())
        if (pool.closed) return endedEarly(STOPPED, 'task-gen dev stopped before the attempt ended')
      }
      return await pool.attempt(slot, { payload, requestId, invocation })
    } finally {
      // Before the slot is released: a waiting event it goes to may still want this worker.
      pool.putBack(slot)
      this.slots.release()
    }
  }

  /** Stops idle workers now and busy ones once their attempt ends, unless events wait that only this pool can run (its task was removed). */
  retire(): void {
    this.retired = true
    this.stopUnwantedIdle()
  }

  /** Stops every worker now, busy or not, and runs nothing more: dev is shutting down. */
  close(): void {
    this.closed = true
    this.slots.close()
    this.retire()
    for (const slot of this.workers) {
      this.finish(slot, { ok: false, error: { errorType: STOPPED, errorMessage: 'task-gen dev stopped before the attempt ended' } })
      stop(slot)
    }
  }

  /** Workers alive, busy or idle: what a retired pool still holds. */
  get liveWorkers(): number {
    return this.workers.size
  }

  private newest(): TaskPool {
    let pool: TaskPool = this
    while (pool.successor) pool = pool.successor
    return pool
  }

  /** A worker after its attempt: kept warm while this pool serves, or while events wait that only it can run. */
  private putBack(slot: PoolWorker | undefined): void {
    if (slot && !slot.dead) this.idle.push(slot)
    if (this.retired) this.stopUnwantedIdle()
  }

  private stopUnwantedIdle(): void {
    if (!this.successor && this.slots.waiters > 0 && !this.closed) return
    for (const slot of this.idle.splice(0)) stop(slot)
  }

  private spawn(): PoolWorker {
    const { settings } = this
    // A process, not a thread: its resident memory is its own, as a Lambda sandbox's is.
    const worker = fork(workerScript(), [settings.bundle], {
      // Not the shell's environment: only what Lambda would give the function.
      env: {
        AWS_LAMBDA_FUNCTION_NAME: settings.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        ...settings.environment,
        ...settings.serviceEnvironment?.(),
        AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
      },
      // Not dev's own flags (a test runner's loaders); the heap capped as the memory size caps all of it.
      execArgv: [`--max-old-space-size=${settings.memoryMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    const ready = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FORK_READY_WAIT_MS)
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      worker.on('message', (message: WorkerMessage) => message.kind === 'ready' && done())
      worker.once('exit', done)
    })
    const slot: PoolWorker = { worker, partial: '', running: undefined, dead: false, stopped: false, heapExhausted: false, ready }
    this.workers.add(slot)
    forwardLines(worker.stdout!, settings.onOutput)
    // What the process itself writes there (V8's fatal errors) is no handler output to the IPC channel.
    createInterface({ input: worker.stderr!, crlfDelay: Infinity }).on('line', (line) => {
      if (HEAP_OUT_OF_MEMORY.test(line)) slot.heapExhausted = true
      showLine(line, settings.onOutput)
    })
    worker.on('message', (message: WorkerMessage) => this.receive(slot, message))
    worker.on('error', (error: Error) => {
      this.remove(slot)
      this.finish(slot, { ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: error.message } })
    })
    worker.on('exit', (code, signal) => {
      const wasRunning = slot.running !== undefined
      this.remove(slot)
      const requestId = slot.running?.requestId ?? ''
      const how = signal ? `signal: ${signal}` : `exit status ${code}`
      const error = slot.heapExhausted
        ? outOfMemory(requestId)
        : { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}` }
      this.finish(slot, { ok: false, error })
      if (!wasRunning && !slot.stopped) settings.onOutput(`Runtime exited with error: ${how}; the next attempt starts a new worker`)
    })
    return slot
  }

  private receive(slot: PoolWorker, message: WorkerMessage): void {
    if (message.kind === 'ready') return
    if (message.kind === 'output') return this.output(slot, message.text)
    if (message.kind === 'record') return void slot.running?.records.push(message.record)
    if (message.kind === 'key') return this.answerKey(slot, message)
    if (message.kind === 'dying') {
      // Between invocations: no attempt fails, but the worker is gone, and dev says why.
      slot.stopped = true
      this.remove(slot)
      return this.settings.onOutput(message.reason)
    }
    // An uncaught error's answer: the worker exits next, and takes no other attempt.
    if (!message.ok && message.fatal) this.remove(slot)
    this.finish(slot, endOf(message))
  }

  /** The wrapper's key operation, made at once (one turn of dev's event loop: atomic, as a conditional write is). */
  private answerKey(slot: PoolWorker, { id, request }: Extract<WorkerMessage, { kind: 'key' }>): void {
    const keys = this.settings.keys
    let outcome: ClaimOutcome | undefined
    // Without a store (the task lost its idempotency in a reload) there is nothing to deduplicate against.
    if (request.op === 'claim') outcome = keys ? keys.claimNow(request.record, request.now) : 'claimed'
    else if (request.op === 'complete') keys?.completeNow(request.key, request.owner)
    else keys?.releaseNow(request.key, request.owner)
    if (slot.worker.connected) slot.worker.send({ kind: 'key-answer', id, ...(outcome ? { outcome } : {}) } satisfies KeyAnswerMessage)
  }

  private attempt(slot: PoolWorker, { payload, requestId, invocation }: AttemptRequest): Promise<AttemptResult> {
    const { settings } = this
    const timeoutMs = settings.timeoutSeconds * 1000
    return new Promise<AttemptResult>((resolve) => {
      const started = Date.now()
      const timer = setTimeout(() => {
        // Lambda stops the sandbox; so does dev. The next attempt gets a fresh worker.
        this.finish(slot, {
          ok: false,
          timedOut: true,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${settings.timeoutSeconds.toFixed(2)} seconds` },
        })
        this.remove(slot)
        stop(slot)
      }, timeoutMs)
      slot.running = { resolve, requestId, started, records: [], lines: [], timer, sampler: undefined, maxMemoryMb: undefined }
      slot.running.sampler = setInterval(() => this.checkMemory(slot), MEMORY_SAMPLE_MS)
      const context = {
        awsRequestId: requestId,
        invokedFunctionArn: invocation.invokedFunctionArn ?? settings.functionArn,
        deadline: started + timeoutMs,
        clientContext: invocation.clientContext,
      }
      slot.worker.send({ kind: 'invoke', id: ++nextId, payload, context } satisfies InvokeMessage)
    })
  }

  /** Ends the attempt as Lambda does once the worker's resident memory passes the memory size: the process is killed. */
  private checkMemory(slot: PoolWorker): void {
    const running = slot.running
    const mb = residentMb(slot.worker.pid)
    if (!running || mb === undefined) return
    running.maxMemoryMb = Math.max(running.maxMemoryMb ?? 0, mb)
    if (mb <= this.settings.memoryMb) return
    this.finish(slot, { ok: false, error: outOfMemory(running.requestId) })
    this.remove(slot)
    stop(slot)
  }

  /** The handler's output: each whole line to dev's output (the wrapper's own log line aside) and to the attempt's log. */
  private output(slot: PoolWorker, text: string): void {
    const lines = (slot.partial + text).split(/\r?\n/)
    slot.partial = lines.pop()!
    for (const line of lines) {
      if (slot.running) keepLine(slot.running.lines, line)
      showLine(line, this.settings.onOutput)
    }
  }

  private finish(slot: PoolWorker, end: { ok: boolean; body?: string; error?: AttemptError; timedOut?: boolean }): void {
    const running = slot.running
    if (!running) return
    slot.running = undefined
    clearTimeout(running.timer)
    clearInterval(running.sampler)
    // A timed-out attempt lasted the whole timeout, even when the timer fired a millisecond early.
    const durationMs = end.timedOut ? Math.max(Date.now() - running.started, this.settings.timeoutSeconds * 1000) : Date.now() - running.started
    const timedOut = end.timedOut ?? false
    const log: AttemptLog = {
      requestId: running.requestId,
      lines: running.lines,
      error: end.error,
      timedOut,
      durationMs,
      memoryMb: this.settings.memoryMb,
      maxMemoryMb: running.maxMemoryMb,
    }
    running.resolve({ ok: end.ok, body: end.body, error: end.error, timedOut, durationMs, records: running.records, log })
  }

  private remove(slot: PoolWorker): void {
    slot.dead = true
    this.workers.delete(slot)
    const at = this.idle.indexOf(slot)
    if (at >= 0) this.idle.splice(at, 1)
  }
}
