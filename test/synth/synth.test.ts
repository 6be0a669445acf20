import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UserError } from '../../generator/errors/problem.js'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import '../helpers/cdktf-matchers.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { REPO_ROOT, runBin } from '../helpers/run-cli.js'

afterAll(removeTempDirs)

/** The every-option fixture as a project on disk, with handlers that export what it names. */
function everyOptionProject(): string {
  const dir = tempDir('synth')
  cpSync(join(REPO_ROOT, 'test/fixtures/configs/valid/every-option.json'), join(dir, 'task-gen.json'))
  mkdirSync(join(dir, 'src'))
  writeFileSync(
    join(dir, 'src/resize.ts'),
    "import sharp from 'sharp'\nimport pdf from 'pdfkit'\nexport async function resize(p: { key: string }) { return [sharp, pdf, p.key] }\n",
  )
  writeFileSync(
    join(dir, 'src/thumbnail.ts'),
    'export async function run(p: { key: string; size: number }) {\n  const area = p.size * p.size\n  console.log(area)\n}\n',
  )
  writeFileSync(join(dir, 'src/on-failure.ts'), 'export async function run(event: { Records: unknown[] }) { console.log(event.Records.length) }\n')
  return dir
}

async function synthProject(dir: string, stage = 'prod', out = join(dir, 'cdktf.out')) {
  const { model, extraction } = await loadAndExtract({ configFile: join(dir, 'task-gen.json'), stage })
  const result = await synthesize(model, extraction, out)
  const stack = (name: string) => readFileSync(join(out, 'stacks', name, 'cdk.tf.json'), 'utf8')
  return { result, stack, out }
}

function unzip(file: string, entry?: string): string {
  return execFileSync('unzip', entry ? ['-p', file, entry] : ['-Z1', file], { encoding: 'utf8' })
}

function assets(out: string, stack: string): string[] {
  return readdirSync(join(out, 'stacks', stack, 'assets')).sort()
}

describe('synth of a config that sets every option', () => {
  let images: string
  let onFailure: string
  let out: string

  beforeAll(async () => {
    const synth = await synthProject(everyOptionProject())
    images = synth.stack('images')
    onFailure = synth.stack('on-failure')
    out = synth.out
    expect(synth.result.stacks.map((s) => s.name)).toEqual(['on-failure', 'images'])
  })

  const resize = { function_name: 'media-shop-prod-images-resize' }
  const thumbnail = { function_name: 'media-shop-prod-images-thumbnail' }

  it('memorySize', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...resize, memory_size: 3008 })
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...thumbnail, memory_size: 1024 })
  })
  it('timeout', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...resize, timeout: 900 })
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...thumbnail, timeout: 60 })
  })
  it('environment, merged over the defaults, with the failure queue for the task wrapper', () => {
    expect(JSON.parse(images).resource.aws_lambda_function.resize_function.environment).toEqual({
      variables: { LOG_LEVEL: 'info', SHARED: 'task', BUCKET: 'media', TASK_GEN_FAILURE_QUEUE_URL: '${aws_sqs_queue.resize_failures.url}' },
    })
  })
  it('ephemeralStorageSize', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...resize, ephemeral_storage: { size: 10240 } })
  })
  it('architecture', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...resize, architectures: ['arm64'] })
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...thumbnail, architectures: ['x86_64'] })
  })
  it('runtime', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...resize, runtime: 'nodejs22.x', handler: 'index.handler' })
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...thumbnail, runtime: 'nodejs20.x' })
  })
  it('reservedConcurrency', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...resize, reserved_concurrent_executions: 0 })
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...thumbnail, reserved_concurrent_executions: 5 })
  })
  it('layers', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...thumbnail, layers: ['arn:aws:lambda:eu-central-1:123456789012:layer:sharp:3'] })
    expect(JSON.parse(images).resource.aws_lambda_function.resize_function.layers).toBeUndefined()
  })
  it('vpc', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', {
      ...resize,
      vpc_config: { subnet_ids: ['subnet-1', 'subnet-2'], security_group_ids: ['sg-1'] },
    })
  })
  it('description', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...resize, description: 'resizes images' })
  })
  it('logRetention', () => {
    expect(images).toHaveResourceWithProperties('aws_cloudwatch_log_group', { name: '/aws/lambda/media-shop-prod-images-resize', retention_in_days: 3653 })
    // "forever" sets no retention.
    expect(JSON.parse(images).resource.aws_cloudwatch_log_group.thumbnail_logs.retention_in_days).toBeUndefined()
  })
  it('permissions, appended to the defaults', () => {
    const policy = JSON.parse(JSON.parse(images).resource.aws_iam_role_policy.resize_policy.policy) as { Statement: unknown[] }
    expect(policy.Statement).toContainEqual({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::media/*'] })
    expect(policy.Statement).toContainEqual({ Effect: 'Deny', Action: ['s3:DeleteObject'], Resource: ['*'] })
  })
  it('retryAttempts and maxEventAge, with the failure queue as the on-failure destination', () => {
    expect(images).toHaveResourceWithProperties('aws_lambda_function_event_invoke_config', {
      function_name: '${aws_lambda_function.resize_function.function_name}',
      maximum_retry_attempts: 0,
      maximum_event_age_in_seconds: 60,
      destination_config: { on_failure: { destination: '${aws_sqs_queue.resize_failures.arn}' } },
    })
    expect(images).toHaveResourceWithProperties('aws_lambda_function_event_invoke_config', { maximum_retry_attempts: 1, maximum_event_age_in_seconds: 7200 })
  })
  it('a standard, encrypted failure queue per task that keeps messages 14 days', () => {
    expect(images).toHaveResourceWithProperties('aws_sqs_queue', {
      name: 'media-shop-prod-images-resize-failures',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    })
    expect(JSON.parse(images).resource.aws_sqs_queue.resize_failures.fifo_queue).toBeUndefined()
  })
  it('a role per function that may write its log group and send to its own queue, and no "*" action', () => {
    const resource = JSON.parse(images).resource
    expect(resource.aws_iam_role.resize_role.name).toBe('media-shop-prod-images-resize')
    const policy = JSON.parse(resource.aws_iam_role_policy.resize_policy.policy) as { Statement: { Action: string[]; Resource: unknown }[] }
    expect(policy.Statement[0]).toEqual({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '${aws_cloudwatch_log_group.resize_logs.arn}:*',
    })
    expect(policy.Statement[1]).toEqual({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '${aws_sqs_queue.resize_failures.arn}' })
    for (const json of [images, onFailure]) {
      for (const { policy: text } of Object.values(JSON.parse(json).resource.aws_iam_role_policy) as { policy: string }[]) {
        for (const statement of (JSON.parse(text) as { Statement: { Action: string[] }[] }).Statement) {
          for (const action of statement.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/)
        }
      }
    }
  })
  it('code: minify, external, sourcemap', () => {
    const [resizeZip, thumbnailZip] = assets(out, 'images').map((f) => join(out, 'stacks/images/assets', f))
    expect(unzip(resizeZip!).split('\n').filter(Boolean)).toEqual(['index.mjs'])
    const resizeCode = unzip(resizeZip!, 'index.mjs')
    expect(resizeCode).toContain('from"sharp"')
    expect(resizeCode).toContain('from"pdfkit"')
    expect(unzip(thumbnailZip!).split('\n').filter(Boolean)).toEqual(['index.mjs', 'index.mjs.map'])
    expect(unzip(thumbnailZip!, 'index.mjs')).toContain('const area = p.size * p.size;')
    expect(images).toHaveResourceWithProperties('aws_lambda_function', { ...thumbnail, environment: { variables: { NODE_OPTIONS: '--enable-source-maps' } } })
  })
  it('wraps the on-failure handler, so that it receives decoded failures and reports partial batch failures', () => {
    const [zip] = assets(out, 'on-failure').map((f) => join(out, 'stacks/on-failure/assets', f))
    const code = unzip(zip!, 'index.mjs')
    expect(code).toContain('batchItemFailures')
    expect(code).toMatch(/app"?:\s*"media-shop"/)
  })

  it('handler: the configured export is the Lambda handler', () => {
    const [resizeZip] = assets(out, 'images').map((f) => join(out, 'stacks/images/assets', f))
    expect(unzip(resizeZip!, 'index.mjs')).toMatch(/export\{[\w$]+ as handler\}/)
  })
  it('outputs: names and ARNs, queue URLs and ARNs, and a caller policy for exactly these functions', () => {
    const outputs = JSON.parse(images).output as Record<string, { value: string }>
    expect(Object.keys(outputs).sort()).toEqual([
      'invoke_policy',
      'resize_failure_queue_arn',
      'resize_failure_queue_url',
      'resize_function_arn',
      'resize_function_name',
      'thumbnail_failure_queue_arn',
      'thumbnail_failure_queue_url',
      'thumbnail_function_arn',
      'thumbnail_function_name',
    ])
    expect(JSON.parse(outputs.invoke_policy!.value)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['lambda:InvokeFunction'],
          Resource: ['${aws_lambda_function.resize_function.arn}', '${aws_lambda_function.thumbnail_function.arn}'],
        },
      ],
    })
  })
  it('onFailure: a function fed by every failure queue, retrying into a dead-letter queue after maxReceives', () => {
    expect(onFailure).toHaveResourceWithProperties('aws_lambda_function', { function_name: 'media-shop-prod-on-failure', memory_size: 128 })
    expect(onFailure).toHaveResourceWithProperties('aws_sqs_queue', { name: 'media-shop-prod-on-failure-dlq', sqs_managed_sse_enabled: true })
    expect(images).toHaveResourceWithProperties('aws_lambda_event_source_mapping', {
      event_source_arn: '${aws_sqs_queue.resize_failures.arn}',
      function_name: 'media-shop-prod-on-failure',
      function_response_types: ['ReportBatchItemFailures'],
    })
    expect(images).toHaveResourceWithProperties('aws_sqs_queue_redrive_policy', {
      queue_url: '${aws_sqs_queue.resize_failures.url}',
      redrive_policy:
        '{"deadLetterTargetArn":"arn:aws:sqs:eu-central-1:${data.aws_caller_identity.account.account_id}:media-shop-prod-on-failure-dlq","maxReceiveCount":3}',
    })
    // The on-failure function's timeout is 60 s: the queues hide a message six times as long while it is handled.
    expect(images).toHaveResourceWithProperties('aws_sqs_queue', { name: 'media-shop-prod-images-resize-failures', visibility_timeout_seconds: 360 })
    // Exact queue ARNs, no wildcard: `media-shop-prod-*` would also match stage `prod-eu` or app `media-shop-prod`.
    const resource = JSON.parse(onFailure).resource
    expect(JSON.parse(resource.aws_iam_policy.failure_queues_1.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
          Resource: ['resize', 'thumbnail'].map(
            (task) => `arn:aws:sqs:eu-central-1:\${data.aws_caller_identity.account.account_id}:media-shop-prod-images-${task}-failures`,
          ),
        },
      ],
    })
    expect(resource.aws_iam_policy.failure_queues_1.name).toBe('media-shop-prod-on-failure-queues-1')
    expect(resource.aws_iam_role_policy_attachment.failure_queues_1_attachment).toMatchObject({
      role: '${aws_iam_role.on_failure_role.name}',
      policy_arn: '${aws_iam_policy.failure_queues_1.arn}',
    })
  })
  it('stage: part of every name, with tags naming app, stage and stack', () => {
    expect(images).toHaveResourceWithProperties('aws_iam_role', { name: 'media-shop-prod-images-thumbnail' })
    expect(JSON.parse(images).provider.aws[0]).toEqual({
      region: 'eu-central-1',
      default_tags: [{ tags: { 'task-gen:app': 'media-shop', 'task-gen:stage': 'prod', 'task-gen:stack': 'images' } }],
    })
  })
  it('state: local by default, one file per stage and stack, outside the output folder', () => {
    expect(JSON.parse(images).terraform.backend).toEqual({ local: { path: '../../../.task-gen/state/prod/images.tfstate' } })
  })
})

describe('synth', () => {
  it('gives the same bytes for the same source, and a new content-addressed asset when code changes', async () => {
    const dir = everyOptionProject()
    const first = await synthProject(dir, 'dev', join(dir, 'a'))
    const second = await synthProject(dir, 'dev', join(dir, 'b'))
    expect(second.stack('images')).toBe(first.stack('images'))
    expect(assets(second.out, 'images')).toEqual(assets(first.out, 'images'))
    for (const file of assets(first.out, 'images')) {
      expect(readFileSync(join(second.out, 'stacks/images/assets', file)).equals(readFileSync(join(first.out, 'stacks/images/assets', file)))).toBe(true)
    }
    writeFileSync(join(dir, 'src/thumbnail.ts'), 'export async function run(p: { key: string; size: number }) { console.log(p.size + 1) }\n')
    const third = await synthProject(dir, 'dev', join(dir, 'a'))
    const changed = assets(third.out, 'images')
    expect(changed).toHaveLength(2)
    expect(changed.filter((f) => assets(second.out, 'images').includes(f))).toEqual([assets(second.out, 'images').find((f) => f.includes('resize'))])
  })

  it('writes an S3 backend when configured', async () => {
    const dir = everyOptionProject()
    const config = JSON.parse(readFileSync(join(dir, 'task-gen.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(
      join(dir, 'task-gen.json'),
      JSON.stringify({ ...config, backend: { s3: { bucket: 'tf-state', keyPrefix: 'infra/', lockTable: 'tf-locks' } } }),
    )
    const { stack } = await synthProject(dir, 'qa')
    expect(JSON.parse(stack('images')).terraform.backend).toEqual({
      s3: { bucket: 'tf-state', key: 'infra/media-shop/qa/images.tfstate', region: 'eu-central-1', encrypt: true, dynamodb_table: 'tf-locks' },
    })
  })

  it('reports a handler that does not bundle with its file and line', async () => {
    const dir = everyOptionProject()
    // A package that is not installed: type-checking leaves that to the install, and bundling finds it.
    writeFileSync(join(dir, 'src/thumbnail.ts'), "import { x } from 'not-installed'\nexport async function run(p: { key: string }) { console.log(x, p) }\n")
    const { model, extraction } = await loadAndExtract({ configFile: join(dir, 'task-gen.json') })
    const error = await synthesize(model, extraction, join(dir, 'out')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).problems).toEqual([
      {
        code: 'bundle_failed',
        path: 'stacks.images.tasks.thumbnail',
        message: 'bundling failed: Could not resolve "not-installed"',
        location: { file: join(dir, 'src/thumbnail.ts'), line: 1, column: 19 },
      },
    ])
  })

  it('task-gen synth honours --output and CDKTF_OUTDIR', () => {
    const dir = everyOptionProject()
    expect(runBin(['synth', '--output', 'out-flag'], { cwd: dir })).toMatchObject({
      code: 0,
      stdout: '✓ synthesized 2 stack(s) for stage "dev" to out-flag/stacks: on-failure, images\n',
    })
    expect(runBin(['synth'], { cwd: dir, env: { CDKTF_OUTDIR: join(dir, 'from-env') } }).code).toBe(0)
    expect(readdirSync(join(dir, 'from-env/stacks')).sort()).toEqual(['images', 'on-failure'])
    expect(JSON.parse(readFileSync(join(dir, 'from-env/manifest.json'), 'utf8')).stacks.images.synthesizedStackPath).toBe('stacks/images/cdk.tf.json')
  })
})
