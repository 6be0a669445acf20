import type { LambdaFunction, SqsQueue, TerraformStack } from './cdktf.js'
import type { Model, TaskModel } from '../model/model.js'

/** Where a step adds its resources: the stack, the model, and the account the ARNs it builds name. */
export interface SynthScope {
  stack: TerraformStack
  model: Model
  /** A Terraform reference to the account id (data.aws_caller_identity), not a literal. */
  account: string
}

/** A stack and its model, for the steps that make the account reference themselves. */
export type StackScope = Pick<SynthScope, 'stack' | 'model'>

/** One task's resources that its triggers attach to: its function, and its failure queue. */
export interface TaskResources {
  task: TaskModel
  fn: LambdaFunction
  failureQueue: SqsQueue
  /** A task with `queue`: its own queue, what its delayed calls' schedules send to. */
  taskQueue?: SqsQueue
}
