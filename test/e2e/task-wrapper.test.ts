import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { decodeFailure } from '../../runtime/failures/decode-failure.js'
import { awsClients } from '../helpers/aws.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

type Handler = (payload: unknown, context: { awsRequestId: string; invokedFunctionArn: string }) => Promise<unknown>

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:pay-dev-billing-charge'
const INDEX = { app: 'pay', tasks: [{ stack: 'billing', task: 'charge' }] }

describe('the task wrapper, run in-process from the synthesized bundle, with a real SQS queue on moto', () => {
  let moto: MotoServer
  let handler: Handler
  let queueUrl: string
  let bundleDir: string
  let aws: ReturnType<typeof awsClients>
  const logs: string[] = []
  const saved = { ...process.env }
  const log = console.log

  beforeAll(async () => {
    moto = await startMoto()
    aws = awsClients(moto)
    queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: 'pay-dev-billing-charge-failures' }))).QueueUrl!
    const project = tempDir('wrapper')
    mkdirSync(join(project, 'src'))
    mkdirSync(join(project, 'node_modules'))
    symlinkSync(REPO_ROOT, join(project, 'node_modules/task-gen'))
    writeFileSync(
      join(project, 'task-gen.json'),
      JSON.stringify({ app: 'pay', region: 'us-east-1', stacks: { billing: { tasks: { charge: './src/charge.ts' } } } }),
    )
    writeFileSync(
      join(project, 'src/charge.ts'),
      [
        "import { NonRetryableError } from 'task-gen/handler'",
        'export interface Charge { orderId: string; amountCents: number }',
        'export default async function charge(p: Charge) {',
        '  if (p.amountCents < 0) throw new NonRetryableError(`negative amount for ${p.orderId}`)',
        "  if (p.orderId === 'flaky') throw new Error('payment API timed out')",
        '  return { charged: p.amountCents }',
        '}',
      ].join('\n'),
    )
    const { model, extraction } = await loadAndExtract({ configFile: join(project, 'task-gen.json') })
    const out = join(project, 'cdktf.out')
    await synthesize(model, extraction, out)
    const [zip] = readdirSync(join(out, 'stacks/billing/assets'))
    // Inside the repository's node_modules, so that the bundle's one external (the AWS SDK) resolves, as in Lambda.
    bundleDir = join(REPO_ROOT, 'node_modules/.task-gen-wrapper-test')
    mkdirSync(bundleDir, { recursive: true })
    writeFileSync(join(bundleDir, 'index.mjs'), execFileSync('unzip', ['-p', join(out, 'stacks/billing/assets', zip!), 'index.mjs']))
    Object.assign(process.env, { ...moto.env, TASK_GEN_FAILURE_QUEUE_URL: queueUrl })
    ;({ handler } = (await import(pathToFileURL(join(bundleDir, 'index.mjs')).href)) as { handler: Handler })
    console.log = (line: string) => logs.push(line)
  }, 60_000)

  afterAll(async () => {
    console.log = log
    process.env = saved
    await moto?.stop()
    rmSync(bundleDir, { recursive: true, force: true })
    removeTempDirs()
  })

  async function receive() {
    const messages = (await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? []
    return messages.map((m) => decodeFailure(m.Body!, INDEX))
  }

  it('runs a valid payload through the handler and logs the attempt', async () => {
    await expect(handler({ orderId: 'o-1', amountCents: 5 }, { awsRequestId: 'r-1', invokedFunctionArn: ARN })).resolves.toEqual({ charged: 5 })
    expect(JSON.parse(logs.at(-1)!)).toMatchObject({
      taskGen: 1,
      task: 'billing.charge',
      requestId: 'r-1',
      attempt: 1,
      outcome: 'success',
      durationMs: expect.any(Number),
    })
    expect(await receive()).toEqual([])
  })

  it('sends an invalid payload straight to the failure queue as ValidationFailed, and ends without error', async () => {
    await expect(handler({ orderId: 7 }, { awsRequestId: 'r-2', invokedFunctionArn: ARN })).resolves.toBeUndefined()
    const [record] = await receive()
    expect(record).toMatchObject({
      ok: true,
      failure: { stack: 'billing', task: 'charge', condition: 'ValidationFailed', requestId: 'r-2', attempts: 1, payload: { orderId: 7 } },
    })
    expect((record as { failure: { error: { message: string } } }).failure.error.message).toBe(
      'payload.orderId: expected string, got number 7; payload.amountCents: is required',
    )
    expect(JSON.parse(logs.at(-1)!)).toMatchObject({ outcome: 'invalid-payload' })
  })

  it('sends a NonRetryableError at once as NonRetryable, and ends without error', async () => {
    await expect(handler({ orderId: 'o-3', amountCents: -1 }, { awsRequestId: 'r-3', invokedFunctionArn: ARN })).resolves.toBeUndefined()
    const [record] = await receive()
    expect(record).toMatchObject({
      ok: true,
      failure: {
        condition: 'NonRetryable',
        error: { type: 'NonRetryableError', message: 'negative amount for o-3' },
        payload: { orderId: 'o-3', amountCents: -1 },
      },
    })
    // The stack as Lambda's Node.js runtime reports it: the first line `<type>: <message>`, then the frames.
    expect((record as { failure: { error: { stack: string } } }).failure.error.stack).toMatch(/^NonRetryableError: negative amount for o-3\n {4}at /)
  })

  it('rethrows any other error, for Lambda to retry, counting attempts of the same request', async () => {
    await expect(handler({ orderId: 'flaky', amountCents: 1 }, { awsRequestId: 'r-4', invokedFunctionArn: ARN })).rejects.toThrow('payment API timed out')
    await expect(handler({ orderId: 'flaky', amountCents: 1 }, { awsRequestId: 'r-4', invokedFunctionArn: ARN })).rejects.toThrow('payment API timed out')
    expect(JSON.parse(logs.at(-1)!)).toMatchObject({ requestId: 'r-4', attempt: 2, outcome: 'error', error: 'payment API timed out' })
    expect(await receive()).toEqual([])
  })
})
