// End-to-end smoke test: cdktf synth -> terraform init/validate/apply/plan against moto, offline.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, LocalBackend, TerraformStack } from 'cdktf'
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js'
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { requireTerraform, runTerraform, terraformOk } from '../helpers/terraform.js'

const QUEUE_NAME = 'smoke-queue'

/** Calls moto's SQS JSON API. Moto routes by the SigV4 credential scope, so send a fake one. */
async function sqs(endpoint: string, action: string, body: object): Promise<unknown> {
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`SQS ${action} answered ${res.status}: ${text}`)
  return JSON.parse(text) as unknown
}

describe('helpers fail loudly', () => {
  it('requireTerraform names a missing provider mirror', () => {
    const missing = join(tmpdir(), 'no-such-tf-mirror', 'registry.terraform.io/hashicorp/aws')
    expect(() => requireTerraform(missing)).toThrow(missing)
  })

  it('startMoto reports a missing python3/moto instead of skipping', async () => {
    await expect(startMoto({ python: join(tmpdir(), 'no-such-python3') })).rejects.toThrow(/moto is missing: install moto 5\.2\.1 for python3/)
    // A python that exits at once (like one without moto) is also reported.
    await expect(startMoto({ python: 'false' })).rejects.toThrow(/exited early/)
  })
})

describe('e2e smoke: cdktf + terraform + moto', () => {
  let moto: MotoServer | undefined
  let workDir: string | undefined

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    workDir = await mkdtemp(join(tmpdir(), 'e2e-smoke-'))
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  }, 30_000)

  it('synthesizes, applies an SQS queue to moto, and plans no changes', async () => {
    if (!moto || !workDir) throw new Error('beforeAll did not complete')
    const outdir = join(workDir, 'cdktf.out')

    const app = new App({ outdir })
    const stack = new TerraformStack(app, 'smoke')
    // cdktf's default local backend puts state at <process.cwd()>/terraform.<stack>.tfstate,
    // i.e. in the repository; keep it in the temp dir instead.
    new LocalBackend(stack, { path: join(workDir, 'terraform.smoke.tfstate') })
    new AwsProvider(stack, 'aws', {
      region: 'us-east-1',
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: 'true',
    })
    new SqsQueue(stack, 'queue', { name: QUEUE_NAME })
    app.synth()

    const stackDir = join(outdir, 'stacks', 'smoke')
    const tfJson = join(stackDir, 'cdk.tf.json')
    expect(existsSync(tfJson)).toBe(true)
    const synthesized = JSON.parse(readFileSync(tfJson, 'utf8')) as {
      resource?: { aws_sqs_queue?: Record<string, { name?: string }> }
    }
    const queues = Object.values(synthesized.resource?.aws_sqs_queue ?? {})
    expect(queues.map((q) => q.name)).toEqual([QUEUE_NAME])

    const opts = { cwd: stackDir, env: moto.env }
    await terraformOk(['init', '-input=false', '-no-color'], opts)
    await terraformOk(['validate', '-no-color'], opts)
    await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color'], opts)

    const listed = (await sqs(moto.endpoint, 'ListQueues', { QueueNamePrefix: QUEUE_NAME })) as {
      QueueUrls?: string[]
    }
    expect(listed.QueueUrls ?? []).toHaveLength(1)
    expect(listed.QueueUrls?.[0]).toMatch(new RegExp(`/${QUEUE_NAME}$`))

    const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], opts)
    expect(plan.code, `plan output:\n${plan.stdout}\n${plan.stderr}`).toBe(0)
  }, 180_000)
})
