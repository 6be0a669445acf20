import { IamRole, IamRolePolicy, SchedulerSchedule, SchedulerScheduleGroup, type TerraformStack } from './cdktf.js'
import { terraformText } from '../text/escape.js'
import type { Model, TaskModel } from '../model/model.js'
import { scheduleGroupName, scheduleRoleName } from '../../runtime/names.js'
import { policyDocument, type PolicyStatement } from './policy.js'
import type { SynthScope, TaskResources } from './synth-scope.js'

/** Scheduler's own retries of a delivery it could not hand to Lambda (its maximum); Lambda's retries of the run are the task's retryAttempts. */
const SCHEDULER_MAX_RETRIES = 185

/**
 * Who may assume a task's schedule role: EventBridge Scheduler, for schedules of this account's
 * stack's schedule group only (the confused-deputy guard AWS's guide gives).
 */
function schedulerAssumeRole(account: string, groupArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': account, 'aws:SourceArn': groupArn } },
      },
    ],
  })
}

/** Tasks run by Scheduler: they have schedules, or calls that may be delayed. */
function usesScheduler(task: TaskModel): boolean {
  return task.schedules.length > 0 || task.delay
}

/** The stack's schedule group, once a task of it has a schedule or delayed calls. */
export function createScheduleGroup(stack: TerraformStack, model: Model, tasks: readonly TaskModel[]): SchedulerScheduleGroup | undefined {
  const first = tasks.find(usesScheduler)
  if (!first) return undefined
  return new SchedulerScheduleGroup(stack, 'schedule_group', { name: scheduleGroupName({ app: model.app, stage: model.stage, stack: first.stack }) })
}

/**
 * What a caller needs to delay a call of these tasks: create schedules in the stack's group (the
 * group's schedules only), pass exactly these tasks' schedule roles to Scheduler, and for a
 * function task read the function's configuration (the client learns the account from its ARN, to
 * name role and queue). A queue task has no function ARN here: the client learns the account from
 * the queue's URL, which sending needs anyway.
 */
export function delayStatements(model: Model, tasks: readonly { task: TaskModel; functionArn?: string }[], account: string): PolicyStatement[] {
  const delayed = tasks.filter(({ task }) => task.delay)
  if (delayed.length === 0) return []
  const partition = 'arn:aws'
  const group = scheduleGroupName({ app: model.app, stage: model.stage, stack: delayed[0]!.task.stack })
  const functionArns = delayed.flatMap(({ functionArn }) => (functionArn === undefined ? [] : [functionArn]))
  return [
    { Effect: 'Allow', Action: ['scheduler:CreateSchedule'], Resource: `${partition}:scheduler:${model.region}:${account}:schedule/${group}/*` },
    {
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: delayed.map(
        ({ task }) => `${partition}:iam::${account}:role/${scheduleRoleName({ app: model.app, stage: model.stage, stack: task.stack, task: task.name })}`,
      ),
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    },
    ...(functionArns.length > 0 ? [{ Effect: 'Allow' as const, Action: ['lambda:GetFunctionConfiguration'], Resource: functionArns }] : []),
  ]
}

/**
 * What a task's schedule role may do: invoke the task's function, the target of its cron schedules
 * and of a function task's delayed calls; send to a queue task's queue, the target of its delayed
 * calls; and send what it could not deliver to the task's failure queue. Nothing more.
 */
function scheduleRoleStatements({ task, fn, failureQueue, taskQueue }: TaskResources): PolicyStatement[] {
  const delaysToQueue = task.delay && taskQueue !== undefined
  const invokes = task.schedules.length > 0 || (task.delay && !delaysToQueue)
  return [
    ...(invokes ? [{ Effect: 'Allow' as const, Action: ['lambda:InvokeFunction'], Resource: fn.arn }] : []),
    ...(delaysToQueue ? [{ Effect: 'Allow' as const, Action: ['sqs:SendMessage'], Resource: taskQueue.arn }] : []),
    { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: failureQueue.arn },
  ]
}

/**
 * A task's schedules: each invokes exactly the task's function (asynchronously, as Scheduler does,
 * so retryAttempts, maxEventAge and the failure queue apply) with the payload as its input, and
 * sends what it could not deliver to the task's failure queue. One role per task, for its cron
 * schedules and its delayed calls (scheduleRoleStatements).
 */
export function addSchedules({ stack, model, account }: SynthScope, resources: TaskResources, group: SchedulerScheduleGroup): void {
  const { task, fn, failureQueue: queue } = resources
  if (!usesScheduler(task)) return
  const id = task.name
  // One role for the task's cron schedules and its delayed calls.
  const roleName = scheduleRoleName({ app: model.app, stage: model.stage, stack: task.stack, task: task.name })
  const role = new IamRole(stack, `${id}_schedule_role`, { name: roleName, assumeRolePolicy: schedulerAssumeRole(account, group.arn) })
  const policy = new IamRolePolicy(stack, `${id}_schedule_policy`, {
    name: 'task-gen',
    role: role.id,
    policy: policyDocument(scheduleRoleStatements(resources)),
  })
  task.schedules.forEach((schedule, i) => {
    new SchedulerSchedule(stack, `${id}_schedule_${i}`, {
      name: schedule.names.schedule,
      // The name as written, not a reference: the ARN reads the same in the plan as deployed; dependsOn orders it.
      groupName: schedule.names.group,
      scheduleExpression: schedule.expression,
      scheduleExpressionTimezone: schedule.timezone,
      state: schedule.enabled ? 'ENABLED' : 'DISABLED',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: fn.arn,
        roleArn: role.arn,
        // The user's JSON is text to Terraform: `${` in it is not an interpolation.
        ...(schedule.payload !== undefined ? { input: terraformText(JSON.stringify(schedule.payload)) } : {}),
        deadLetterConfig: { arn: queue.arn },
        retryPolicy: { maximumEventAgeInSeconds: task.maxEventAgeSeconds, maximumRetryAttempts: SCHEDULER_MAX_RETRIES },
      },
      dependsOn: [group, policy],
    })
  })
}
