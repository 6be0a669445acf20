import { DataAwsCallerIdentity, IamPolicy, type IamRole, IamRolePolicyAttachment, TerraformOutput } from './cdktf.js'
import type { StackScope, SynthScope } from './synth-scope.js'
import type { BundleRef } from './bundle-refs.js'
import { UserError } from '../errors/problem.js'
import type { Model, OnFailureModel } from '../model/model.js'
import { createQueue } from './failure-queue.js'
import { createFunction } from './lambda-function.js'
import { CONSUME_QUEUE, MANAGED_POLICY_LIMITS, splitStatement } from './policy.js'
import { readAppPayloadsStatement } from './payloads-stack.js'
import { ON_FAILURE_STACK } from './stack-names.js'

export { ON_FAILURE_STACK }

/** An account id has 12 digits: the length the ARNs will have once Terraform resolved the account. */
const DEPLOYED_ACCOUNT = '0'.repeat(12)

/**
 * The ARN of every task's failure queue, by its exact name. The queues belong to the task stacks,
 * which deploy after this one, so the names come from the model, not from Terraform references.
 * No wildcard: app and stage names hold hyphens, so `<app>-<stage>-*` would also match other
 * stages (`dev-eu` for `dev`) and other apps (`shop-dev` for `shop`).
 */
function failureQueueArns(model: Model, account: string): string[] {
  return model.stacks.flatMap((stack) => stack.tasks.map((task) => `arn:aws:sqs:${model.region}:${account}:${task.names.failureQueue}`))
}

/** Lets the on-failure function consume every failure queue: managed policies, as many as the list needs at AWS's size limit. */
function grantFailureQueues({ stack, model, account }: SynthScope, onFailure: OnFailureModel, role: IamRole): void {
  const written = failureQueueArns(model, account)
  const deployed = failureQueueArns(model, DEPLOYED_ACCOUNT)
  const documents = splitStatement(
    CONSUME_QUEUE,
    written.map((arn, i) => ({ written: arn, deployed: deployed[i]! })),
    MANAGED_POLICY_LIMITS.characters,
  )
  if (documents.length > MANAGED_POLICY_LIMITS.perRole) {
    throw new UserError([
      {
        code: 'limit_exceeded',
        path: onFailure.path,
        message: `the on-failure function would need ${documents.length} IAM policies to name the ${written.length} failure queues it reads; AWS attaches at most ${MANAGED_POLICY_LIMITS.perRole} to a role. Split the app, or shorten its stack and task names`,
      },
    ])
  }
  documents.forEach((policy, i) => {
    const id = `failure_queues_${i + 1}`
    const managed = new IamPolicy(stack, id, {
      name: `${onFailure.names.role}-queues-${i + 1}`,
      description: 'Lets the on-failure function read these failure queues',
      policy,
    })
    new IamRolePolicyAttachment(stack, `${id}_attachment`, { role: role.name, policyArn: managed.arn })
  })
}

/**
 * The global on-failure handler: a function that the failure queues of every task feed (their
 * event source mappings live in the task stacks), and the dead-letter queue where a record goes
 * when the handler keeps failing on it.
 */
export function addOnFailureStack({ stack, model }: StackScope, onFailure: OnFailureModel, bundle: BundleRef): void {
  const account = new DataAwsCallerIdentity(stack, 'account')
  const deadLetter = createQueue(stack, 'dead_letter', { name: onFailure.names.deadLetterQueue })
  const { function: fn, role } = createFunction(stack, 'on_failure', {
    fn: onFailure.function,
    names: onFailure.names,
    bundle,
    statements: readAppPayloadsStatement(model),
  })
  grantFailureQueues({ stack, model, account: account.accountId }, onFailure, role)
  new TerraformOutput(stack, 'function_name', { value: fn.functionName })
  new TerraformOutput(stack, 'function_arn', { value: fn.arn })
  new TerraformOutput(stack, 'dead_letter_queue_url', { value: deadLetter.url })
  new TerraformOutput(stack, 'dead_letter_queue_arn', { value: deadLetter.arn })
}
