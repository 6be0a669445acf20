import { SnsTopic, TerraformOutput, type TerraformStack } from './cdktf.js'
import type { Model } from '../model/model.js'
import { policyDocument } from './policy.js'
import { storeTopicPayloadsStatement } from './payloads-stack.js'

/** SNS's AWS managed key: topics are encrypted at rest with no key for the app to manage, and Lambda subscriptions need no grant on it. */
export const SNS_MANAGED_KEY = 'alias/aws/sns'

/**
 * The app-wide topics: one encrypted SNS topic per config topic. Subscribers live in their own
 * stacks (a task stack subscribes its functions), so a topic outlives any one stack's destroy.
 * Outputs name every topic's ARN, and `invoke_policy` lets callers publish to exactly these topics.
 */
export function addTopicsStack(stack: TerraformStack, model: Model): void {
  const arns = model.topics.map((topic) => {
    const sns = new SnsTopic(stack, `${topic.name}_topic`, { name: topic.resourceName, kmsMasterKeyId: SNS_MANAGED_KEY })
    new TerraformOutput(stack, `${topic.name}_topic_arn`, { value: sns.arn })
    return sns.arn
  })
  new TerraformOutput(stack, 'invoke_policy', {
    description: 'An IAM policy that allows publishing to exactly the topics of this app: attach it to the roles of applications that publish.',
    value: policyDocument([{ Effect: 'Allow', Action: ['sns:Publish'], Resource: arns }, ...storeTopicPayloadsStatement(model)]),
  })
}
