import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize, type SynthResult } from '../../generator/synth/synthesize.js'
import { policyStatements, type StackJson } from '../helpers/synthesized-policies.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { writeTopicProject } from '../helpers/topic-project.js'

afterAll(removeTempDirs)

/** Resources without cdktf's metadata block. */
function bare(resources: Record<string, Record<string, unknown>> | undefined) {
  return Object.fromEntries(Object.entries(resources ?? {}).map(([id, { '//': _, ...rest }]) => [id, rest]))
}

type Json = StackJson & { resource: Record<string, Record<string, Record<string, any>>>; data?: any }

describe('synth of topics', () => {
  let result: SynthResult
  const stacks: Record<string, Json> = {}

  beforeAll(async () => {
    const dir = tempDir('synth-topics')
    const { model, extraction } = await loadAndExtract({ configFile: writeTopicProject(dir) })
    result = await synthesize(model, extraction, join(dir, 'cdktf.out'))
    for (const stack of result.stacks) stacks[stack.name] = JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8'))
  }, 120_000)

  it('an app-wide topics stack deploys before the task stacks that subscribe, which depend on it', () => {
    expect(result.stacks.map((s) => s.name)).toEqual(['app-topics', 'orders', 'shipping'])
  })

  it('one SNS topic per config topic, named for app, stage and topic, encrypted with the SNS managed key; its ARN is an output', () => {
    const topics = stacks['app-topics']!
    expect(Object.values(topics.resource.aws_sns_topic!)).toEqual([
      expect.objectContaining({ name: 'shop-dev-orderPlaced', kms_master_key_id: 'alias/aws/sns' }),
    ])
    expect(topics.output!.orderPlaced_topic_arn!.value).toBe('${aws_sns_topic.orderPlaced_topic.arn}')
  })

  it("the topics stack's invoke_policy allows sns:Publish on exactly its topics", () => {
    expect(JSON.parse(String(stacks['app-topics']!.output!.invoke_policy!.value))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sns:Publish'], Resource: ['${aws_sns_topic.orderPlaced_topic.arn}'] }],
    })
  })

  it('each subscriber has a Lambda subscription to the topic and a permission for exactly that topic, and nothing else does', () => {
    const arn = 'arn:aws:sns:us-east-1:${data.aws_caller_identity.account.account_id}:shop-dev-orderPlaced'
    const orders = stacks.orders!
    expect(bare(orders.resource.aws_sns_topic_subscription)).toEqual({
      sendEmail_topic_orderPlaced_subscription: {
        topic_arn: arn,
        protocol: 'lambda',
        endpoint: '${aws_lambda_function.sendEmail_function.arn}',
        depends_on: ['aws_lambda_permission.sendEmail_topic_orderPlaced_permission'],
      },
    })
    expect(bare(orders.resource.aws_lambda_permission)).toEqual({
      sendEmail_topic_orderPlaced_permission: {
        statement_id: 'sns-orderPlaced',
        action: 'lambda:InvokeFunction',
        function_name: '${aws_lambda_function.sendEmail_function.function_name}',
        principal: 'sns.amazonaws.com',
        source_arn: arn,
      },
    })
    expect(Object.keys(stacks.shipping!.resource.aws_sns_topic_subscription!)).toEqual(['reserveStock_topic_orderPlaced_subscription'])
  })

  it('a subscriber keeps its async invoke config: topic deliveries get its retries, event age and failure queue', () => {
    expect(stacks.orders!.resource.aws_lambda_function_event_invoke_config!.sendEmail_invoke_config).toMatchObject({
      maximum_retry_attempts: 1,
      destination_config: { on_failure: { destination: '${aws_sqs_queue.sendEmail_failures.arn}' } },
    })
  })

  it('no statement of the subscribing stacks names a topic: SNS invokes under the function permission alone', () => {
    const statements = ['orders', 'shipping'].flatMap((name) => policyStatements(stacks[name]!, name))
    expect(statements.filter((s) => s.Resource.some((r) => r.includes(':sns:')))).toEqual([])
  })
})
