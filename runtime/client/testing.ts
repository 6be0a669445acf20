import { openEvent } from '../envelope.js'
import { taskKey, taskLabel } from '../names.js'
import { TaskInvokeError } from './errors.js'
import { setTransport, type InvokeRequest } from './transport.js'

export interface RecordedTaskCall {
  stack: string
  task: string
  payload: unknown
  stage: string
  functionName: string
  requestId: string
}

export interface HandlerOutcome {
  call: RecordedTaskCall
  /** The handler threw (or rejected) with this; undefined when it succeeded. */
  error: unknown
}

type Handler = (payload: unknown, context: { requestId: string; functionName: string }) => unknown

export interface TaskMock {
  /** Every accepted call, in order. */
  readonly calls: RecordedTaskCall[]
  callsOf(stack: string, task: string): RecordedTaskCall[]
  /** Runs `handler` in-process for each call of the task, after the call resolved (as Lambda would). */
  handle(stack: string, task: string, handler: Handler): TaskMock
  /** Makes calls of the task reject, as if Lambda had not accepted them. */
  reject(stack: string, task: string, error?: Error): TaskMock
  /** Waits for every handler started so far, and says how each ended. */
  settled(): Promise<HandlerOutcome[]>
  /** Sends to Lambda again. */
  restore(): void
}

/**
 * Captures task calls in the caller's own unit tests, with no network and no test-framework
 * globals: the payload guards still run, then each call is recorded and accepted.
 */
export function mockTasks(): TaskMock {
  const calls: RecordedTaskCall[] = []
  const handlers = new Map<string, Handler>()
  const rejections = new Map<string, Error>()
  const running: Promise<HandlerOutcome>[] = []
  let counter = 0

  const restore = setTransport(async (request: InvokeRequest) => {
    const rejection = rejections.get(taskKey(request.stack, request.task))
    if (rejection) throw rejection
    const requestId = `mock-${++counter}`
    const call: RecordedTaskCall = {
      stack: request.stack,
      task: request.task,
      payload: request.payload,
      stage: request.stage,
      functionName: request.functionName,
      requestId,
    }
    calls.push(call)
    const handler = handlers.get(taskKey(request.stack, request.task))
    if (handler) {
      // Like Lambda, the handler runs after the event was accepted; a copy through JSON, as it would arrive.
      const event = request.body === undefined ? undefined : JSON.parse(new TextDecoder().decode(request.body))
      const opened = openEvent(event)
      const payload = opened.kind === 'envelope' ? opened.envelope.payload : event
      running.push(
        Promise.resolve()
          .then(() => handler(payload, { requestId, functionName: request.functionName }))
          .then(
            () => ({ call, error: undefined }),
            (error: unknown) => ({ call, error }),
          ),
      )
    }
    return { statusCode: 202, requestId, attempts: 1 }
  })

  const mock: TaskMock = {
    calls,
    callsOf: (stack, task) => calls.filter((c) => c.stack === stack && c.task === task),
    handle(stack, task, handler) {
      handlers.set(taskKey(stack, task), handler)
      return mock
    },
    reject(stack, task, error) {
      rejections.set(
        taskKey(stack, task),
        error ??
          new TaskInvokeError(`Task ${taskLabel(stack, task)}: rejected by mockTasks()`, { code: 'INVOKE_FAILED', stack, task, functionName: '', attempts: 1 }),
      )
      return mock
    },
    settled: () => Promise.all(running),
    restore,
  }
  return mock
}
