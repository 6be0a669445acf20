import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createTaskClient } from '../../runtime/client/index.js'
import { generateInRepo } from '../helpers/generated-shop.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { writeQueueProject } from '../helpers/queue-project.js'
import { runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { requireTerraform, runTerraform, shownResources, writeTerraformCliConfig } from '../helpers/terraform.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

describe('deploy of a stack with queue tasks against moto', () => {
  let moto: MotoServer
  let dir: string
  let env: Record<string, string>
  let deployed: CliResult
  const stackDir = () => join(dir, 'cdktf.out/stacks/work')

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    dir = tempDir('queues-deploy')
    writeQueueProject(dir)
    env = { ...moto.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(mkdtempSync(join(tmpdir(), 'tf-cli-'))) }
    deployed = await runBinAsync(['deploy', '--auto-approve'], { cwd: dir, env })
  }, 600_000)

  afterAll(async () => {
    await moto?.stop()
    removeTempDirs()
  })

  it('applies', () => {
    expect(deployed.stderr).toBe('')
    expect(deployed.code).toBe(0)
  })

  it('validates, and a second plan reports no changes', async () => {
    const validate = await runTerraform(['validate', '-no-color'], { cwd: stackDir(), env })
    expect(validate.code, validate.stderr).toBe(0)
    const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd: stackDir(), env })
    expect(plan.code, `${plan.stdout}${plan.stderr}`).toBe(0)
  }, 300_000)

  it('the queues and their mappings read back from the cloud as configured', async () => {
    const resources = await shownResources({ cwd: stackDir(), env })
    const of = (type: string, name: string) => resources.find((r) => r.type === type && r.name === name)!.values
    expect(of('aws_sqs_queue', 'process_queue')).toMatchObject({
      name: 'shop-dev-work-process-queue',
      message_retention_seconds: 172_800,
      visibility_timeout_seconds: 30,
      sqs_managed_sse_enabled: true,
      fifo_queue: false,
    })
    expect(of('aws_sqs_queue', 'ordered_queue')).toMatchObject({
      name: 'shop-dev-work-ordered-queue.fifo',
      fifo_queue: true,
      content_based_deduplication: true,
    })
    expect(JSON.parse(of('aws_sqs_queue_redrive_policy', 'process_queue_redrive').redrive_policy)).toEqual({
      deadLetterTargetArn: of('aws_sqs_queue', 'process_failures').arn,
      maxReceiveCount: 3,
    })
    expect(of('aws_lambda_event_source_mapping', 'process_queue_mapping')).toMatchObject({
      event_source_arn: of('aws_sqs_queue', 'process_queue').arn,
      batch_size: 20,
      maximum_batching_window_in_seconds: 2,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: [{ maximum_concurrency: 5 }],
    })
  }, 120_000)

  it('a message sent to a queue found by its name reaches the created queue, FIFO too', async () => {
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'shop-dev-work-process-queue' }))).QueueUrl!
    expect(url).toMatch(/\/shop-dev-work-process-queue$/)
    const body = JSON.stringify({ id: 'a' })
    // moto's event source mapping takes the message at once, so the queue's answer is the proof: its id and the digest of what it stored.
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }))
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update(body).digest('hex'))
    const fifo = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'shop-dev-work-ordered-queue.fifo' }))).QueueUrl!
    // Content-based deduplication: a FIFO message needs a group, no deduplication id.
    const ordered = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: JSON.stringify({ n: 1 }), MessageGroupId: 'g' }))
    expect(ordered.MD5OfMessageBody).toBe(
      createHash('md5')
        .update(JSON.stringify({ n: 1 }))
        .digest('hex'),
    )
  }, 60_000)

  it("the generated client's calls reach the created queues: SendMessage to the standard one, batched, and to the FIFO one with its group", async () => {
    const generated = await generateInRepo(join(dir, 'task-gen.json'), 'queues-deploy')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, moto.env)
      delete process.env.TASK_GEN_STAGE
      const { Task } = await generated.load<{ Task: ReturnType<typeof createTaskClient> }>()
      const one = await Task.work!.process!({ id: 'from-client' })
      expect(one).toMatchObject({ functionName: 'shop-dev-work-process', messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
      const batch = await Task.work!.process!.batch(Array.from({ length: 12 }, (_, i) => ({ id: `b-${i}` })))
      expect(batch.map((r) => r.status)).toEqual(Array(12).fill('accepted'))
      const ordered = await Task.work!.ordered!({ n: 2 }, { groupId: 'g' } as never)
      expect(ordered.messageId).toMatch(/^[0-9a-f-]{36}$/)
    } finally {
      process.env = saved
      generated.remove()
    }
  }, 60_000)

  it('destroy removes the queues with the stack', async () => {
    const destroyed = await runBinAsync(['destroy', '--auto-approve'], { cwd: dir, env })
    expect(destroyed.stderr).toBe('')
    expect(destroyed.code).toBe(0)
  }, 300_000)
})
