import { randomUUID } from 'node:crypto'
import type { CreateScheduleCommandOutput, SchedulerClient } from '@aws-sdk/client-scheduler'
import { scheduleGroupName, scheduleRoleName, taskResourceNames } from '../names.js'
import { atExpression } from './delay.js'
import { clientSettings, lambdaClient, loadSdk } from './lambda-client.js'
import { queueUrl, sqsClient } from './sqs-client.js'
import type { InvokeRequest, InvokeResponse } from './transport.js'

/** Scheduler's own retries of a delivery it could not hand to Lambda (its maximum), as the stacks' cron schedules have. */
const SCHEDULER_MAX_RETRIES = 185

type SchedulerSdk = typeof import('@aws-sdk/client-scheduler')

let sdk: Promise<SchedulerSdk> | undefined
let shared: { client: SchedulerClient; region: string; generation: number } | undefined

async function schedulerClient(region: string): Promise<SchedulerClient> {
  const { settings, generation } = clientSettings()
  const resolved = process.env.AWS_REGION ?? region
  if (shared?.region === resolved && shared.generation === generation) return shared.client
  sdk ??= import('@aws-sdk/client-scheduler')
  const { SchedulerClient } = await sdk
  const client = new SchedulerClient({
    region: resolved,
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: { requestTimeout: settings.requestTimeoutMs ?? 10_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
  })
  shared = { client, region: resolved, generation }
  return client
}

// The function's ARN gives the account (and partition) that the role and queue ARNs need: once per function and process.
const functionArns = new Map<string, Promise<string>>()

function functionArnOf(request: InvokeRequest): Promise<string> {
  const key = `${request.region}/${request.functionName}`
  let arn = functionArns.get(key)
  if (!arn) {
    arn = (async () => {
      const { GetFunctionConfigurationCommand } = await loadSdk()
      const client = await lambdaClient(request.region, request.client)
      const response = await client.send(new GetFunctionConfigurationCommand({ FunctionName: request.functionName }))
      if (typeof response.FunctionArn !== 'string') throw new Error(`GetFunctionConfiguration of ${request.functionName} gave no FunctionArn`)
      return response.FunctionArn as string
    })()
    // A failed lookup is not kept: the next call asks again.
    arn.catch(() => functionArns.delete(key))
    functionArns.set(key, arn)
  }
  return arn
}

/** `arn:<partition>:lambda:<region>:<account>:function:<name>` → the same partition, region and account. */
function arnParts(functionArn: string): { partition: string; region: string; account: string } {
  const [, partition, , region, account] = functionArn.split(':')
  return { partition: partition!, region: region!, account: account! }
}

/** What a message carries for a call without a payload, as queue-send's: SQS refuses an empty body. */
const NO_PAYLOAD = '{}'

/** AWS's partition of a region: its ARNs' second field. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

/**
 * A queue's ARN from its URL, as SQS gives it: the account is the first segment of the path, the
 * region that of SQS's host (`sqs.<region>.amazonaws.com`), else (a local endpoint) `region`.
 */
export function queueTargetOf(queueUrl: string, queueName: string, region: string): { arn: string; partition: string; region: string; account: string } {
  const url = new URL(queueUrl)
  const account = url.pathname.split('/')[1] ?? ''
  if (!/^\d{12}$/.test(account)) throw new Error(`the URL of queue ${queueName}, ${queueUrl}, names no account`)
  const own = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname)?.[1] ?? region
  const partition = partitionOf(own)
  return { arn: `arn:${partition}:sqs:${own}:${account}:${queueName}`, partition, region: own, account }
}

/**
 * What a delayed call's schedule targets, and where its account comes from: a function task's
 * function (its ARN, from GetFunctionConfiguration), a queue task's queue (its URL, which SQS
 * resolves for sending anyway: the caller needs no Lambda permission).
 */
async function scheduleTarget(request: InvokeRequest): Promise<{ arn: string; partition: string; region: string; account: string }> {
  if (!request.queue) {
    const arn = await functionArnOf(request)
    return { arn, ...arnParts(arn) }
  }
  const url = await queueUrl(await sqsClient(request.region, request.client), request.queue.name)
  return queueTargetOf(url, request.queue.name, process.env.AWS_REGION ?? request.region)
}

/**
 * Sends a delayed call: a one-time EventBridge Scheduler schedule in the stack's group that
 * invokes the task's function once (a queue task's: sends its message to the task's queue), at
 * the call's time (flexible window off), with the event as input, the task's failure queue as its
 * dead-letter queue, the task's schedule role, and deletes itself after it ran. Resolves once the
 * schedule is created.
 */
export async function createDelayedCall(request: InvokeRequest, at: Date): Promise<InvokeResponse> {
  const { arn: targetArn, partition, region, account } = await scheduleTarget(request)
  const parts = { app: request.app, stage: request.stage, stack: request.stack, task: request.task }
  const group = scheduleGroupName(parts)
  const name = request.scheduleName ?? `delay-${randomUUID()}`
  const client = await schedulerClient(request.region)
  sdk ??= import('@aws-sdk/client-scheduler')
  const { CreateScheduleCommand } = await sdk
  const command = new CreateScheduleCommand({
    Name: name,
    GroupName: group,
    ScheduleExpression: atExpression(at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: targetArn,
      RoleArn: `arn:${partition}:iam::${account}:role/${scheduleRoleName(parts)}`,
      // A queue task's input is the message body as SendMessage would send it now.
      Input: request.body === undefined ? (request.queue ? NO_PAYLOAD : undefined) : new TextDecoder().decode(request.body),
      DeadLetterConfig: { Arn: `arn:${partition}:sqs:${region}:${account}:${taskResourceNames(parts).failureQueue}` },
      RetryPolicy: { MaximumRetryAttempts: SCHEDULER_MAX_RETRIES },
    },
  })
  let response: CreateScheduleCommandOutput
  try {
    response = await client.send(command)
  } catch (error) {
    // A name made from an idempotency key: an earlier call with the key made this schedule, and one is all the key may have.
    if (request.scheduleName === undefined || (error as { name?: string }).name !== 'ConflictException') throw error
    const arn = `arn:${partition}:scheduler:${region}:${account}:schedule/${group}/${name}`
    const metadata = (error as { $metadata?: { requestId?: string; attempts?: number } }).$metadata
    return { statusCode: 200, requestId: metadata?.requestId ?? '', attempts: metadata?.attempts ?? 1, schedule: { arn, at }, duplicate: true }
  }
  return {
    statusCode: 200,
    requestId: response.$metadata.requestId ?? '',
    attempts: response.$metadata.attempts ?? 1,
    schedule: { arn: response.ScheduleArn ?? '', at },
  }
}
