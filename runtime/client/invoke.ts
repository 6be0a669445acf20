import { taskFunctionName, taskLabel } from '../names.js'
import { validate } from '../validate.js'
import { TaskInvokeError } from './errors.js'
import type { LambdaClientLike } from './lambda-client.js'
import { taskManifest, type ClientManifest } from './manifest.js'
import { deliveryTime, type TaskDelayOptions } from './delay.js'
import { eventOf, type DeliveryFields } from './event-body.js'
import { transport, type InvokeRequest, type InvokeResponse } from './transport.js'

/** Lambda's limit for an asynchronous invoke's payload: 1 MB (docs/lambda-facts.md). */
export const MAX_EVENT_PAYLOAD_BYTES = 1_048_576

/** EventBridge Scheduler's limit for a schedule's target input: 256 KB. */
export const MAX_SCHEDULE_INPUT_BYTES = 262_144

export type TaskCallOptions = TaskSendOptions & TaskDelayOptions

export interface TaskSendOptions {
  /** The stage to invoke. @default TASK_GEN_STAGE, else the stage the client was generated for */
  stage?: string
  /** Check the payload against the task's payload type before sending. @default true */
  validate?: boolean
  /** The Lambda client to send with. @default the configured one, else one shared client per process */
  client?: LambdaClientLike
}

export interface TaskAccepted {
  /** Lambda's request id of the accepted event; for a delayed call, Scheduler's of the created schedule. */
  requestId: string
  /** A delayed call: the ARN of its one-time schedule, and when it runs. */
  schedule?: { arn: string; at: Date }
  functionName: string
  /** Requests it took, counting retries. */
  attempts: number
}

const encoder = new TextEncoder()

/** The payload as Lambda receives it; a message instead when JSON cannot write it (a cycle or a bigint where the type is `unknown`, or too deep). */
export function serialize(payload: unknown): Uint8Array | undefined | { error: string } {
  if (payload === undefined) return undefined
  try {
    return encoder.encode(JSON.stringify(payload))
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : 'JSON.stringify failed' }
  }
}

/** The task a call goes to, resolved once (the client makes one per task) and shared by each of its calls. */
export interface TaskTarget {
  manifest: ClientManifest
  stack: string
  task: string
  /** What each call's envelope carries, if it needs one. @default none */
  delivery?: DeliveryFields
}

/** Validation and size: checked before anything is sent. Throws the TaskInvokeError the call would. */
export function prepareInvoke(target: TaskTarget, payload: unknown, options: TaskCallOptions): InvokeRequest {
  const { manifest, stack, task } = target
  const delivery = target.delivery ?? {}
  const stage = options.stage ?? process.env.TASK_GEN_STAGE ?? manifest.stage
  const functionName = taskFunctionName({ app: manifest.app, stage, stack, task })
  const context = { stack, task, functionName, attempts: 0 }
  const spec = taskManifest(manifest, stack, task)
  if (!spec)
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: this client has no such task; regenerate it`, { ...context, code: 'FUNCTION_NOT_FOUND' })
  const when = deliveryTime(options)
  if (!when.ok) throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: ${when.message}; nothing was sent`, { ...context, code: 'INVALID_OPTIONS' })
  if (when.at && !spec.delay) {
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: its calls cannot be delayed; set "delay": true on the task in the config and deploy; nothing was sent`,
      { ...context, code: 'INVALID_OPTIONS' },
    )
  }
  if (options.validate !== false) {
    const issues = validate(spec.payload, manifest.defs, payload)
    if (issues.length > 0) {
      const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')
      throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: the payload does not match its type; nothing was sent\n${lines}`, {
        ...context,
        code: 'INVALID_PAYLOAD',
        issues,
      })
    }
  }
  // The limits are the payload's: an offloaded payload is stored as its own JSON, and the event is then a small envelope.
  const payloadBody = serialize(payload)
  if (payloadBody && 'error' in payloadBody) {
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: the payload cannot be written as JSON (${payloadBody.error}); nothing was sent`, {
      ...context,
      code: 'INVALID_PAYLOAD',
    })
  }
  const size = payloadBody?.byteLength ?? 0
  const limit = manifest.payloads?.maxSize ?? MAX_EVENT_PAYLOAD_BYTES
  if (size > limit) {
    const accepts = manifest.payloads
      ? `the app's payloads.maxSize is ${limit}`
      : `Lambda accepts at most ${limit} for an asynchronous invoke (set "payloads" in task-gen.json to store larger ones in S3)`
    throw new TaskInvokeError(`Task ${taskLabel(stack, task)}: the payload is ${size} bytes serialized; ${accepts}; nothing was sent`, {
      ...context,
      code: 'PAYLOAD_TOO_LARGE',
    })
  }
  const fields = when.at ? { ...delivery, deliverAt: when.at.toISOString() } : delivery
  const event = eventOf(payload, fields)
  const offload = manifest.payloads !== undefined && size > manifest.payloads.offloadAbove
  // The transport wraps an offloaded payload's reference in the envelope itself, with the call's delivery fields.
  const body = offload || event === payload ? payloadBody : (serialize(event) as Uint8Array)
  // A delayed event travels whole in its schedule's input, offloaded or not: it must fit there.
  if (when.at && body && body.byteLength > MAX_SCHEDULE_INPUT_BYTES) {
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: the delayed event is ${body.byteLength} bytes serialized; a schedule's input holds at most ${MAX_SCHEDULE_INPUT_BYTES}; nothing was sent`,
      { ...context, code: 'PAYLOAD_TOO_LARGE' },
    )
  }
  if (!offload && body && body.byteLength > MAX_EVENT_PAYLOAD_BYTES) {
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: the event is ${body.byteLength} bytes serialized with its envelope; Lambda accepts at most ${MAX_EVENT_PAYLOAD_BYTES} for an asynchronous invoke; nothing was sent`,
      { ...context, code: 'PAYLOAD_TOO_LARGE' },
    )
  }
  return {
    app: manifest.app,
    stack,
    task,
    stage,
    functionName,
    region: manifest.region,
    payload,
    body,
    offload,
    delivery: fields,
    client: options.client,
    deliverAt: when.at,
  }
}

function attemptsOf(error: unknown): number {
  return (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1
}

/** Every way a send can fail becomes a TaskInvokeError here, and only here. */
function invokeFailure(request: InvokeRequest, error: unknown): TaskInvokeError {
  const { stack, task, functionName, stage } = request
  const context = { stack, task, functionName, attempts: attemptsOf(error), cause: error }
  if (error instanceof TaskInvokeError) return error
  if ((error as { name?: string }).name === 'ResourceNotFoundException') {
    return new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: no Lambda function named ${functionName} (stage "${stage}"); is the stack deployed to this stage and region?`,
      { ...context, code: 'FUNCTION_NOT_FOUND' },
    )
  }
  const message = error instanceof Error ? error.message : String(error)
  return new TaskInvokeError(`Task ${taskLabel(stack, task)}: invoking ${functionName} failed after ${context.attempts} attempt(s): ${message}`, {
    ...context,
    code: 'INVOKE_FAILED',
  })
}

/** Sends one event; resolves only once Lambda has accepted it (HTTP 202), and rejects with a TaskInvokeError otherwise. */
export async function invokeTask(target: TaskTarget, payload: unknown, options: TaskCallOptions = {}): Promise<TaskAccepted> {
  const request = prepareInvoke(target, payload, options)
  let response: InvokeResponse
  try {
    response = await transport()(request)
  } catch (error) {
    throw invokeFailure(request, error)
  }
  if (response.schedule) return { requestId: response.requestId, functionName: request.functionName, attempts: response.attempts, schedule: response.schedule }
  if (response.statusCode !== 202) {
    const { stack, task } = target
    throw new TaskInvokeError(
      `Task ${taskLabel(stack, task)}: Lambda answered ${response.statusCode} for ${request.functionName}, not 202: the event was not accepted`,
      {
        stack,
        task,
        functionName: request.functionName,
        attempts: response.attempts,
        code: 'NOT_ACCEPTED',
      },
    )
  }
  return { requestId: response.requestId, functionName: request.functionName, attempts: response.attempts }
}
