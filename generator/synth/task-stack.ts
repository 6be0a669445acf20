import {
  DataAwsCallerIdentity,
  LambdaEventSourceMapping,
  LambdaFunctionEventInvokeConfig,
  type SqsQueue,
  type SchedulerScheduleGroup,
  TerraformOutput,
  type TerraformStack,
} from './cdktf.js'
import type { BundleRef } from './bundle-refs.js'
import type { Model, StackModel, TaskModel } from '../model/model.js'
import { createQueue } from './failure-queue.js'
import { createFunction } from './lambda-function.js'
import { policyDocument, type PolicyStatement } from './policy.js'
import { readPayloadsStatement, storePayloadsStatement } from './payloads-stack.js'
import { addSchedules, createScheduleGroup, delayStatements } from './schedules.js'
import { addQueueMapping, consumeStatement, createTaskQueue, sendStatement } from './task-queue.js'
import type { StackScope } from './synth-scope.js'
import { addSubscriptions, subscribes } from './topic-subscriptions.js'
import { createIdempotencyTable, recordKeysStatement } from './idempotency-table.js'

function onFailureWiring(model: Model, account: DataAwsCallerIdentity | undefined) {
  if (!model.onFailure || !account) return undefined
  return {
    functionName: model.onFailure.names.function,
    deadLetterArn: `arn:aws:sqs:${model.region}:${account.accountId}:${model.onFailure.names.deadLetterQueue}`,
    visibilityTimeoutSeconds: Math.min(43_200, model.onFailure.function.timeoutSeconds * 6),
    maxReceives: model.onFailure.maxReceives,
  }
}

interface Schedules {
  group: SchedulerScheduleGroup
  account: DataAwsCallerIdentity
}

/** What every task of one stack is added with, resolved once per stack. */
interface TaskStackContext {
  stack: TerraformStack
  model: Model
  wiring: ReturnType<typeof onFailureWiring>
  schedules: Schedules | undefined
  account: DataAwsCallerIdentity | undefined
}

/** What callers reach a task by: its function, or with `queue` its queue. */
type Entry = { kind: 'function'; arn: string } | { kind: 'queue'; queue: SqsQueue }

/** One task: its failure queue, its function, the async invoke config that joins them, and with `queue` its queue and mapping. */
function addTask(context: TaskStackContext, bundle: BundleRef & { task: TaskModel }): Entry {
  const { stack, model, wiring, schedules, account } = context
  const { task } = bundle
  const id = task.name
  const queue = createQueue(stack, `${id}_failures`, {
    name: task.names.failureQueue,
    ...(wiring && {
      redrive: { deadLetterArn: wiring.deadLetterArn, maxReceiveCount: wiring.maxReceives },
      visibilityTimeoutSeconds: wiring.visibilityTimeoutSeconds,
    }),
  })
  const taskQueue = task.queue && createTaskQueue(stack, id, { queue: task.queue, failureQueue: queue })
  const keys = task.idempotency && createIdempotencyTable(stack, id, task.idempotency)
  // The task wrapper sends records that retrying cannot fix (and a queue message's last failed receive) straight to the failure queue.
  const statements: PolicyStatement[] = [
    { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queue.arn },
    ...(taskQueue ? [consumeStatement(taskQueue)] : []),
    ...readPayloadsStatement(model, task),
    ...(keys ? [recordKeysStatement(keys)] : []),
  ]
  const { function: fn, policy } = createFunction(stack, id, {
    fn: task.function,
    names: task.names,
    bundle,
    statements,
    runtimeEnvironment: { TASK_GEN_FAILURE_QUEUE_URL: queue.url, ...(keys ? { TASK_GEN_IDEMPOTENCY_TABLE: keys.name } : {}) },
  })
  if (task.queue && taskQueue) addQueueMapping(stack, id, { queue: task.queue, sqs: taskQueue, fn, policy })
  new LambdaFunctionEventInvokeConfig(stack, `${id}_invoke_config`, {
    functionName: fn.functionName,
    maximumRetryAttempts: task.retryAttempts,
    maximumEventAgeInSeconds: task.maxEventAgeSeconds,
    destinationConfig: { onFailure: { destination: queue.arn } },
  })
  const resources = { task, fn, failureQueue: queue, ...(taskQueue ? { taskQueue } : {}) }
  if (schedules) addSchedules({ stack, model, account: schedules.account.accountId }, resources, schedules.group)
  if (account) addSubscriptions({ stack, model, account: account.accountId }, resources)
  if (wiring) {
    new LambdaEventSourceMapping(stack, `${id}_on_failure`, {
      eventSourceArn: queue.arn,
      functionName: wiring.functionName,
      batchSize: 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
    })
  }
  new TerraformOutput(stack, `${id}_function_name`, { value: fn.functionName })
  new TerraformOutput(stack, `${id}_function_arn`, { value: fn.arn })
  new TerraformOutput(stack, `${id}_failure_queue_url`, { value: queue.url })
  new TerraformOutput(stack, `${id}_failure_queue_arn`, { value: queue.arn })
  return taskQueue ? { kind: 'queue', queue: taskQueue } : { kind: 'function', arn: fn.arn }
}

/** Lets callers reach exactly these tasks: invoke the functions of tasks without a queue, send to the queues of those with one. */
function invokePolicy(entries: readonly Entry[], others: readonly PolicyStatement[]): string {
  const arns = entries.flatMap((entry) => (entry.kind === 'function' ? [entry.arn] : []))
  const queues = entries.flatMap((entry) => (entry.kind === 'queue' ? [entry.queue] : []))
  const invoke: PolicyStatement[] = arns.length > 0 || queues.length === 0 ? [{ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: arns }] : []
  return policyDocument([...invoke, ...sendStatement(queues), ...others])
}

/** Every task with what a delayed call's schedule targets: a function task's function ARN; a queue task's queue, which the client resolves itself. */
function delayTargets(bundles: readonly { task: TaskModel }[], entries: readonly Entry[]): { task: TaskModel; functionArn?: string }[] {
  return bundles.map((bundle, i) => {
    const entry = entries[i]!
    return entry.kind === 'function' ? { task: bundle.task, functionArn: entry.arn } : { task: bundle.task }
  })
}

/** The resources of one config stack, from its tasks' bundles (in config order), and an IAM policy for the applications that call its tasks. */
export function addTaskStack({ stack, model }: StackScope, config: StackModel, bundles: readonly (BundleRef & { task: TaskModel })[]): void {
  const group = createScheduleGroup(stack, model, config.tasks)
  const account = model.onFailure || group || subscribes(config.tasks) ? new DataAwsCallerIdentity(stack, 'account') : undefined
  const wiring = onFailureWiring(model, account)
  const schedules = group && account ? { group, account } : undefined
  const context: TaskStackContext = { stack, model, wiring, schedules, account }
  const entries = bundles.map((bundle) => addTask(context, bundle))
  if (group) new TerraformOutput(stack, 'schedule_group_name', { value: group.name })
  new TerraformOutput(stack, 'invoke_policy', {
    description:
      'An IAM policy that allows invoking exactly the tasks of this stack (sending to the queues of queue tasks): attach it to the roles of applications that call them.',
    value: invokePolicy(entries, [
      ...(account ? delayStatements(model, delayTargets(bundles, entries), account.accountId) : []),
      ...storePayloadsStatement(model, config.tasks),
    ]),
  })
}
