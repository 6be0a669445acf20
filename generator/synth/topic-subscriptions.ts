import { LambdaPermission, SnsTopicSubscription } from './cdktf.js'
import { topicArn } from '../../runtime/topic-names.js'
import type { TaskModel } from '../model/model.js'
import type { SynthScope, TaskResources } from './synth-scope.js'

/**
 * A task's subscriptions: a Lambda subscription per topic it subscribes to, and a permission that
 * lets SNS invoke its function for exactly that topic. SNS invokes asynchronously, so the task's
 * retryAttempts, maxEventAge and failure queue apply to each delivery as to any invoke. The topic
 * belongs to the topics stack (deployed first): its ARN comes from its name, not a reference.
 */
export function addSubscriptions({ stack, model, account }: SynthScope, { task, fn }: Pick<TaskResources, 'task' | 'fn'>): void {
  for (const name of task.subscribe) {
    const topic = model.topics.find((t) => t.name === name)
    if (!topic) throw new Error(`task-gen: ${task.path} subscribes to "${name}", which the model has no topic for`)
    const arn = topicArn(model.region, account, topic.resourceName)
    const id = `${task.name}_topic_${name}`
    const permission = new LambdaPermission(stack, `${id}_permission`, {
      statementId: `sns-${name}`,
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: arn,
    })
    // The permission first: a delivery that arrives before it would be refused.
    new SnsTopicSubscription(stack, `${id}_subscription`, { topicArn: arn, protocol: 'lambda', endpoint: fn.arn, dependsOn: [permission] })
  }
}

/** Whether any task of these subscribes to a topic (the stack then needs the account id). */
export function subscribes(tasks: readonly TaskModel[]): boolean {
  return tasks.some((task) => task.subscribe.length > 0)
}
