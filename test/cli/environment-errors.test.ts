import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { SQSServiceException } from '@aws-sdk/client-sqs'
import { afterAll, describe, expect, it } from 'vitest'
import { awsCall, describeAwsError } from '../../generator/errors/aws-call.js'
import { EnvironmentError } from '../../generator/errors/environment-error.js'
import { condenseNodeSupportWarning, nodeSupportLine } from '../../generator/cli/node-support.js'
import { REPO_ROOT, runBin, runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

const SHOP_CONFIG = join(REPO_ROOT, 'examples/shop/task-gen.json')

/** An environment with no AWS credentials anywhere: no variables, empty config and credentials files, no instance metadata. */
function noCredentials(): Record<string, string> {
  const dir = tempDir('no-creds')
  const empty = join(dir, 'empty')
  writeFileSync(empty, '')
  const env: Record<string, string> = { HOME: dir, AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_EC2_METADATA_DISABLED: 'true' }
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') && !(name in env)) env[name] = ''
  return env
}

/** What the user sees on stderr, as lines. */
function errorLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line !== '')
}

function expectOneClearLine(result: CliResult, command: string): string {
  expect(result.code).toBe(1)
  expect(result.stderr).not.toContain('internal error')
  expect(result.stderr).not.toMatch(/^\s+at /m)
  // Warnings (a runtime that differs from the host's Node.js) may come first; the error is one line.
  const lines = errorLines(result).filter((line) => line.startsWith(`task-gen ${command}: `) && !line.startsWith(`task-gen ${command}: warning: `))
  expect(lines).toHaveLength(1)
  return lines[0]!
}

describe('environment and cloud failures are user errors (exit 1, one line)', () => {
  it('failures list without AWS credentials names the queue and region, and how to give credentials', () => {
    const result = runBin(['failures', 'list', '--config', SHOP_CONFIG], { env: noCredentials() })
    const line = expectOneClearLine(result, 'failures list')
    expect(line).toContain('SQS GetQueueUrl on queue shop-dev-orders-processOrder-failures (region us-east-1)')
    expect(line).toContain('no AWS credentials found')
    expect(line).toContain('AWS_PROFILE')
  })

  it('an unreachable endpoint names it and the region', () => {
    const env = { ...noCredentials(), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }
    for (const command of [
      ['failures', 'list'],
      ['failures', 'replay'],
    ]) {
      const result = runBin([...command, '--config', SHOP_CONFIG], { env })
      const line = expectOneClearLine(result, command.join(' '))
      expect(line).toContain('(region us-east-1, endpoint http://127.0.0.1:9): could not reach AWS (connect ECONNREFUSED 127.0.0.1:9)')
    }
  })

  it('deploy without terraform on PATH says so, and what it did', () => {
    const out = join(tempDir('no-terraform'), 'out')
    const result = runBin(['deploy', '--auto-approve', '--config', SHOP_CONFIG, '--output', out], { env: { PATH: tempDir('empty-path') } })
    const line = expectOneClearLine(result, 'deploy')
    expect(line).toContain('terraform was not found on PATH; install Terraform 1.11 or later')
    expect(line).toMatch(/; nothing applied; on-failure, app-topics, orders, reports not started; .*out written$/)
  })

  it('a failed deploy says which stacks were applied, which failed and which did not start', () => {
    const out = join(tempDir('deploy-fails'), 'out')
    const result = runBin(['deploy', '--auto-approve', '--config', SHOP_CONFIG, '--output', out], {
      env: { PATH: `${join(REPO_ROOT, 'test/fixtures/fake-terraform')}:${process.env.PATH}`, FAKE_TERRAFORM_FAIL_IN: 'orders' },
    })
    const line = expectOneClearLine(result, 'deploy')
    expect(line).toMatch(
      /^task-gen deploy: terraform init failed for stack orders in .*out\/stacks\/orders \(exit code 1, output above\); applied on-failure, app-topics; orders failed; reports not started; .*out written$/,
    )
    expect(result.stderr).toContain('Error: fake terraform refuses to work (init)')
    expect(result.stdout).toContain('[1/4] on-failure: done in')
  })

  it('dev on a busy port names the port and what to do', async () => {
    const busy: Server = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as { port: number }).port
    try {
      const result = await runBinAsync(['dev', '--config', SHOP_CONFIG, '--port', String(port)], { cwd: REPO_ROOT })
      const line = expectOneClearLine(result, 'dev')
      expect(line).toBe(
        `task-gen dev: port ${port} on 127.0.0.1 is in use (another \`task-gen dev\`, or another server?); choose another with --port, or --port 0 for any free one`,
      )
    } finally {
      busy.close()
    }
  })
})

describe("the AWS SDK's Node version warning", () => {
  it('is one line at most in a command that uses the SDK, and the error is the only other line', () => {
    const result = runBin(['failures', 'list', '--config', SHOP_CONFIG], { env: noCredentials() })
    expect(result.stderr).not.toContain('NodeVersionSupportWarning')
    const lines = errorLines(result)
    const error = lines.filter((line) => line.startsWith('task-gen failures list: '))
    expect(error).toHaveLength(1)
    const others = lines.filter((line) => !error.includes(line))
    const major = Number(process.versions.node.split('.')[0])
    expect(others).toEqual(major < 22 ? [nodeSupportLine()] : [])
  })

  it('passes every other warning through', () => {
    const seen: string[] = []
    const restore = condenseNodeSupportWarning({ stdout: () => {}, stderr: (line) => seen.push(line) })
    const warnings: string[] = []
    const listener = (warning: Error) => warnings.push(warning.message)
    process.on('warning', listener)
    try {
      process.emitWarning('NodeVersionSupportWarning: nine lines')
      process.emitWarning('NodeVersionSupportWarning: again, from a second copy of the SDK')
      process.emitWarning('something the user needs')
    } finally {
      restore()
    }
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.off('warning', listener)
        expect(seen).toEqual([nodeSupportLine()])
        expect(warnings).toEqual(['something the user needs'])
        resolve()
      }),
    )
  })
})

describe('the AWS boundary', () => {
  const context = { service: 'SQS', operation: 'ReceiveMessage', region: 'eu-west-1', resource: 'queue q' }

  it('turns a service refusal into one line naming the call, and hints at credentials when access is denied', async () => {
    const denied = new SQSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not allowed' })
    const error = await awsCall(context, () => Promise.reject(denied)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EnvironmentError)
    expect((error as Error).message).toBe(
      'SQS ReceiveMessage on queue q (region eu-west-1) failed: HTTP 403 AccessDenied: not allowed; check the AWS credentials and what they are allowed to do',
    )
  })

  it('leaves anything else alone: a bug stays a bug', async () => {
    const bug = new TypeError('x is undefined')
    expect(describeAwsError(bug, context)).toBeUndefined()
    await expect(awsCall(context, () => Promise.reject(bug))).rejects.toBe(bug)
  })
})
