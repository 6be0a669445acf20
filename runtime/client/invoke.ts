import type { LambdaClient } from '@aws-sdk/client-lambda'
import { taskFunctionName } from '../names.js'
import { validate } from '../validate.js'
import { TaskInvokeError } from './errors.js'
import type { ClientManifest } from './manifest.js'

/** Lambda's limit for an asynchronous invoke's payload: 1 MB (AWS-FACTS.md). */
export const MAX_EVENT_PAYLOAD_BYTES = 1_048_576

export interface TaskCallOptions {
  /** The stage to invoke. @default TASK_GEN_STAGE, else the stage the client was generated for */
  stage?: string
  /** Check the payload against the task's payload type before sending. @default true */
  validate?: boolean
  /** The Lambda client to send with. @default one shared client per process */
  client?: LambdaClient
}

export interface TaskAccepted {
  /** Lambda's request id of the accepted event. */
  requestId: string
  functionName: string
}

export interface ClientSettings {
  client?: LambdaClient
}

const settings: ClientSettings = {}
let shared: Promise<LambdaClient> | undefined

/** Sets the Lambda client that every call uses unless it passes its own. */
export function configure(next: ClientSettings): void {
  settings.client = next.client
}

async function lambdaClient(manifest: ClientManifest, options: TaskCallOptions): Promise<{ client: LambdaClient; send: typeof import('@aws-sdk/client-lambda').InvokeCommand }> {
  // Loaded on the first call, not on import: importing the client package stays cheap.
  const sdk = await import('@aws-sdk/client-lambda')
  const client = options.client ?? settings.client ?? (await (shared ??= Promise.resolve(new sdk.LambdaClient({ region: process.env.AWS_REGION ?? manifest.region }))))
  return { client, send: sdk.InvokeCommand }
}

function serialize(payload: unknown): Uint8Array | undefined {
  if (payload === undefined) return undefined
  return new TextEncoder().encode(JSON.stringify(payload))
}

/** Sends one event; resolves only once Lambda has accepted it (HTTP 202). */
export async function invokeTask(manifest: ClientManifest, stack: string, task: string, payload: unknown, options: TaskCallOptions = {}): Promise<TaskAccepted> {
  const stage = options.stage ?? process.env.TASK_GEN_STAGE ?? manifest.stage
  const functionName = taskFunctionName({ app: manifest.app, stage, stack, task })
  const context = { stack, task, functionName }
  const spec = manifest.stacks[stack]?.[task]
  if (!spec) throw new TaskInvokeError(`task-gen: no task ${stack}.${task} in this client`, { ...context, code: 'FUNCTION_NOT_FOUND' })

  if (options.validate !== false) {
    const issues = validate(spec.payload, manifest.defs, payload)
    if (issues.length > 0) {
      const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')
      throw new TaskInvokeError(`Task ${stack}.${task}: the payload does not match its type; nothing was sent\n${lines}`, { ...context, code: 'INVALID_PAYLOAD', issues })
    }
  }
  const body = serialize(payload)
  if (body && body.byteLength > MAX_EVENT_PAYLOAD_BYTES) {
    throw new TaskInvokeError(
      `Task ${stack}.${task}: the payload is ${body.byteLength} bytes serialized; Lambda accepts at most ${MAX_EVENT_PAYLOAD_BYTES} for an asynchronous invoke; nothing was sent`,
      { ...context, code: 'PAYLOAD_TOO_LARGE' },
    )
  }

  const { client, send: InvokeCommand } = await lambdaClient(manifest, options)
  let response
  try {
    response = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: body }))
  } catch (error) {
    const name = (error as { name?: string }).name
    if (name === 'ResourceNotFoundException') {
      throw new TaskInvokeError(`Task ${stack}.${task}: no Lambda function named ${functionName} (stage "${stage}"); is the stack deployed to this stage and region?`, { ...context, code: 'FUNCTION_NOT_FOUND', cause: error })
    }
    throw new TaskInvokeError(`Task ${stack}.${task}: invoking ${functionName} failed: ${(error as Error).message}`, { ...context, code: 'INVOKE_FAILED', cause: error })
  }
  if (response.StatusCode !== 202) {
    throw new TaskInvokeError(`Task ${stack}.${task}: Lambda answered ${response.StatusCode} for ${functionName}, not 202: the event was not accepted`, { ...context, code: 'NOT_ACCEPTED' })
  }
  return { requestId: response.$metadata.requestId ?? '', functionName }
}
