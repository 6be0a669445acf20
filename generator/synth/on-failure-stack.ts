import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js'
import { TerraformOutput, type TerraformStack } from 'cdktf'
import type { FunctionBundle } from '../bundle/bundle-functions.js'
import type { Model, OnFailureModel } from '../model/model.js'
import { createQueue } from './failure-queue.js'
import { createFunction } from './lambda-function.js'
import { ON_FAILURE_STACK } from './stack-names.js'

export { ON_FAILURE_STACK }

/**
 * The global on-failure handler: a function that the failure queues of every task feed (their
 * event source mappings live in the task stacks), and the dead-letter queue where a record goes
 * when the handler keeps failing on it.
 */
export function addOnFailureStack(stack: TerraformStack, model: Model, onFailure: OnFailureModel, bundle: FunctionBundle): void {
  const account = new DataAwsCallerIdentity(stack, 'account')
  const deadLetter = createQueue(stack, 'dead_letter', onFailure.names.failureQueue)
  const failureQueues = `arn:aws:sqs:${model.region}:${account.accountId}:${model.app}-${model.stage}-*-failures`
  const { function: fn } = createFunction(stack, 'on_failure', onFailure.function, onFailure.names, bundle, () => [
    { Effect: 'Allow', Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], Resource: failureQueues },
  ])
  new TerraformOutput(stack, 'function_name', { value: fn.functionName })
  new TerraformOutput(stack, 'function_arn', { value: fn.arn })
  new TerraformOutput(stack, 'dead_letter_queue_url', { value: deadLetter.url })
  new TerraformOutput(stack, 'dead_letter_queue_arn', { value: deadLetter.arn })
}
