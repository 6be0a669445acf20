import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { writeQueueProject } from '../helpers/queue-project.js'
import { policyStatements, type StackJson } from '../helpers/synthesized-policies.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

type Json = StackJson & { resource: Record<string, Record<string, Record<string, any>>> }

/** A resource without cdktf's metadata block. */
function bare(resource: Record<string, unknown> | undefined) {
  const { '//': _, ...rest } = resource ?? {}
  return rest
}

describe('synth of queue tasks', () => {
  let work: Json

  beforeAll(async () => {
    const dir = tempDir('synth-queues')
    const { model, extraction } = await loadAndExtract({ configFile: writeQueueProject(dir) })
    const result = await synthesize(model, extraction, join(dir, 'cdktf.out'))
    work = JSON.parse(readFileSync(join(result.stacks.find((s) => s.name === 'work')!.dir, 'cdk.tf.json'), 'utf8'))
  }, 120_000)

  it("a queue task's queue: encrypted, its retention and visibility timeout, redriven to the task's failure queue after maxReceives", () => {
    const queues = work.resource.aws_sqs_queue!
    expect(bare(queues.process_queue)).toEqual({
      name: 'shop-dev-work-process-queue',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 172_800,
      visibility_timeout_seconds: 30,
      lifecycle: { ignore_changes: ['redrive_policy'] },
    })
    expect(JSON.parse(work.resource.aws_sqs_queue_redrive_policy!.process_queue_redrive!.redrive_policy)).toEqual({
      deadLetterTargetArn: '${aws_sqs_queue.process_failures.arn}',
      maxReceiveCount: 3,
    })
    expect(queues.plain_queue).toBeUndefined()
  })

  it('a FIFO task: a .fifo queue deduplicating by content, redriven to a FIFO dead-letter queue of its own; defaults resolved', () => {
    const queues = work.resource.aws_sqs_queue!
    expect(queues.ordered_queue).toMatchObject({
      name: 'shop-dev-work-ordered-queue.fifo',
      fifo_queue: true,
      content_based_deduplication: true,
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 345_600,
      visibility_timeout_seconds: 180,
    })
    expect(queues.ordered_queue_dead_letter).toMatchObject({ name: 'shop-dev-work-ordered-queue-dlq.fifo', fifo_queue: true, sqs_managed_sse_enabled: true })
    expect(JSON.parse(work.resource.aws_sqs_queue_redrive_policy!.ordered_queue_redrive!.redrive_policy)).toEqual({
      deadLetterTargetArn: '${aws_sqs_queue.ordered_queue_dead_letter.arn}',
      maxReceiveCount: 5,
    })
  })

  it('an event source mapping with partial batch responses, batch size and window, maximum concurrency, after the role policy', () => {
    const mappings = work.resource.aws_lambda_event_source_mapping!
    expect(bare(mappings.process_queue_mapping)).toEqual({
      event_source_arn: '${aws_sqs_queue.process_queue.arn}',
      function_name: '${aws_lambda_function.process_function.function_name}',
      batch_size: 20,
      function_response_types: ['ReportBatchItemFailures'],
      maximum_batching_window_in_seconds: 2,
      scaling_config: { maximum_concurrency: 5 },
      depends_on: ['aws_iam_role_policy.process_policy'],
    })
    expect(bare(mappings.ordered_queue_mapping)).toEqual({
      event_source_arn: '${aws_sqs_queue.ordered_queue.arn}',
      function_name: '${aws_lambda_function.ordered_function.function_name}',
      batch_size: 5,
      function_response_types: ['ReportBatchItemFailures'],
      depends_on: ['aws_iam_role_policy.ordered_policy'],
    })
    expect(Object.keys(mappings).sort()).toEqual(['ordered_queue_mapping', 'process_queue_mapping'])
  })

  it("the function's role may consume exactly its queue and send to its failure queue, nothing more on SQS", () => {
    const sqs = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`
    const statements = policyStatements(work, 'work').filter((s) => s.Resource.some((r) => r.includes(':sqs:')))
    const ofRole = (role: string) =>
      statements.filter((s) => s.source === `work: resource.aws_iam_role_policy.${role}.policy`).map(({ Action, Resource }) => ({ Action, Resource }))
    expect(ofRole('process_policy')).toEqual([
      { Action: ['sqs:SendMessage'], Resource: [sqs('shop-dev-work-process-failures')] },
      {
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
        Resource: [sqs('shop-dev-work-process-queue')],
      },
    ])
    expect(ofRole('plain_policy')).toEqual([{ Action: ['sqs:SendMessage'], Resource: [sqs('shop-dev-work-plain-failures')] }])
  })

  it('outputs name every queue; invoke_policy invokes the plain task and sends to exactly the two queues', () => {
    expect(work.output!.process_queue_url!.value).toBe('${aws_sqs_queue.process_queue.url}')
    expect(work.output!.process_queue_arn!.value).toBe('${aws_sqs_queue.process_queue.arn}')
    expect(work.output!.ordered_queue_url!.value).toBe('${aws_sqs_queue.ordered_queue.url}')
    expect(work.output!.ordered_queue_dead_letter_arn!.value).toBe('${aws_sqs_queue.ordered_queue_dead_letter.arn}')
    expect(JSON.parse(String(work.output!.invoke_policy!.value))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: ['${aws_lambda_function.plain_function.arn}'] },
        {
          Effect: 'Allow',
          Action: ['sqs:GetQueueUrl', 'sqs:SendMessage'],
          Resource: ['${aws_sqs_queue.process_queue.arn}', '${aws_sqs_queue.ordered_queue.arn}'],
        },
      ],
    })
  })
})
