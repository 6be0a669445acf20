/**
 * AWS resource names derived from app, stage, stack and task. The infrastructure creates
 * resources under these names and the client invokes functions by them, so both import this one
 * module (the runtime never imports the generator, the generator may import this).
 */

export interface TaskNameParts {
  app: string
  stage: string
  stack: string
  task: string
}

/** A task's key, unique in the app: `orders/processOrder`. What bundles, builds and dev's tasks are filed under. */
export function taskKey(stack: string, task: string): string {
  return `${stack}/${task}`
}

/** A task as messages and logs name it: `orders.processOrder`, as the client calls it. */
export function taskLabel(stack: string, task: string): string {
  return `${stack}.${task}`
}

/** The names of a Lambda function and what it alone owns. */
export interface FunctionResourceNames {
  function: string
  role: string
  logGroup: string
}

export interface TaskResourceNames extends FunctionResourceNames {
  /** The task's asynchronous-invoke failure destination. */
  failureQueue: string
}

export interface OnFailureResourceNames extends FunctionResourceNames {
  /** Where failure records go that the on-failure handler could not take. */
  deadLetterQueue: string
}

/** AWS limits on name length: Lambda function 64, IAM role 64, SQS queue 80, log group 512, S3 bucket 63. */
export const NAME_LIMITS = { function: 64, role: 64, queue: 80, logGroup: 512, bucket: 63 } as const

export function taskFunctionName(parts: TaskNameParts): string {
  return `${parts.app}-${parts.stage}-${parts.stack}-${parts.task}`
}

export function taskResourceNames(parts: TaskNameParts): TaskResourceNames {
  const fn = taskFunctionName(parts)
  return { function: fn, role: fn, failureQueue: `${fn}-failures`, logGroup: `/aws/lambda/${fn}` }
}

/** A task's idempotency keys (a task with `idempotency`): one DynamoDB table per task, so that its role's grant is that table. */
export function idempotencyTableName(parts: TaskNameParts): string {
  return `${taskFunctionName(parts)}-idempotency`
}

/** The global on-failure handler and its dead-letter queue (where records its handler cannot take go). */
export function onFailureResourceNames(app: string, stage: string): OnFailureResourceNames {
  const fn = `${app}-${stage}-on-failure`
  return { function: fn, role: fn, deadLetterQueue: `${fn}-dlq`, logGroup: `/aws/lambda/${fn}` }
}

/** A task's own queue (a task with `queue`); FIFO queue names must end in `.fifo`. */
export function taskQueueName(parts: TaskNameParts, fifo: boolean): string {
  return `${taskFunctionName(parts)}-queue${fifo ? '.fifo' : ''}`
}

/** A FIFO task queue's dead-letter queue: SQS requires a FIFO queue's to be FIFO, so it cannot be the (standard) failure queue. */
export function taskQueueDeadLetterName(parts: TaskNameParts): string {
  return `${taskFunctionName(parts)}-queue-dlq.fifo`
}

/** A stack's EventBridge Scheduler group: its cron schedules and its tasks' delayed calls. */
export function scheduleGroupName(parts: Omit<TaskNameParts, 'task'>): string {
  return `${parts.app}-${parts.stage}-${parts.stack}`
}

/** The role Scheduler assumes to run a task: for its schedules and its delayed calls alike. */
export function scheduleRoleName(parts: TaskNameParts): string {
  return `${taskFunctionName(parts)}-schedule`
}
