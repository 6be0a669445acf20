import { execSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { describe, expect, it } from 'vitest'
import { localCommand, README, readmeCommand, readmeShellLines } from '../helpers/readme.js'
import { REPO_ROOT, runBin } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'

/** Where each README command that this file does not run is run. */
const RUN_ELSEWHERE: Record<string, string> = {
  'npm install': '.ci/run (npm ci, then the build npm install runs)',
  'npm test': '.ci/run',
  'npx task-gen deploy': 'test/e2e/deploy.test.ts',
  'npx cdktf deploy': 'test/e2e/cdktf-deploy.test.ts',
  'cd examples/shop && npm install': 'test/e2e/example-app.test.ts',
}
const RUN_HERE = ['npx task-gen generate', 'npx task-gen dev']

describe('the README', () => {
  it('every command in its shell blocks is run by a test', () => {
    const lines = readmeShellLines()
    expect(lines.length).toBeGreaterThan(0)
    for (const { section, command } of lines) {
      const bare = command.replace(/^(\w+=\S+\s+)+/, '')
      const owners = [...RUN_HERE, ...Object.keys(RUN_ELSEWHERE)].filter((prefix) => bare.startsWith(prefix))
      expect(owners, `"${command}" (under "${section}") is run by no test: add it to this file's lists and run it`).toHaveLength(1)
    }
    for (const prefix of [...RUN_HERE, ...Object.keys(RUN_ELSEWHERE)]) expect(() => readmeCommand(prefix), prefix).not.toThrow()
  })

  it("quick start: its second command generates the example's client and synthesizes its stacks", () => {
    const quick = readmeShellLines()
      .filter((line) => line.section === 'Quick start')
      .map((line) => line.command)
    expect(quick).toEqual(['npm install', readmeCommand('npx task-gen generate').command, 'npm test'])
    execSync(quick[1]!, { cwd: REPO_ROOT, stdio: 'pipe' })
    expect(existsSync(join(REPO_ROOT, 'examples/shop/generated/tasks/index.d.ts'))).toBe(true)
    for (const stack of ['on-failure', 'orders', 'reports']) expect(existsSync(join(REPO_ROOT, `cdktf.out/stacks/${stack}/cdk.tf.json`)), stack).toBe(true)
  }, 60_000)

  it('local development: its dev command prints what the README shows, and serves the Invoke API there', async () => {
    const line = readmeCommand('npx task-gen dev')
    const command = localCommand(line.command)
    const child = spawn(command.file, command.args, { cwd: REPO_ROOT, env: { ...process.env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8')
          if (stdout.split('\n').length > line.output.length) resolve()
        })
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
        child.once('exit', (code) => reject(new Error(`task-gen dev exited with ${code}:\n${stdout}${stderr}`)))
      })
      expect(stdout.split('\n').slice(0, line.output.length)).toEqual(line.output)
      const endpoint = /AWS_ENDPOINT_URL_LAMBDA=(\S+)/.exec(line.output.join('\n'))![1]!
      const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } })
      const invoked = await lambda.send(
        new InvokeCommand({ FunctionName: 'shop-dev-reports-cleanupExports', InvocationType: 'Event', Payload: Buffer.from('{}') }),
      )
      expect(invoked.StatusCode).toBe(202)
    } finally {
      child.kill('SIGTERM')
    }
  }, 60_000)

  it('its schedule example is refused by check with the message it shows', () => {
    const section = README.slice(README.indexOf("A schedule's payload is type-checked"))
    const example = /```jsonc\n([\s\S]*?)```/.exec(section)![1]!
    const expected = /`check` answers:\n\n```\n(.*)\n```/.exec(section)![1]!
    const shop = copyShop('readme-schedule')
    const config = JSON.parse(readFileSync(join(shop, 'task-gen.json'), 'utf8')) as { stacks: { reports: { tasks: Record<string, unknown> } } }
    config.stacks.reports.tasks.generateReport = (JSON.parse(`{${example}}`) as Record<string, unknown>).generateReport
    writeFileSync(join(shop, 'task-gen.json'), JSON.stringify(config, null, 2))
    const result = runBin(['check'], { cwd: shop })
    expect(result.code).toBe(1)
    const [line, ...rest] = result.stderr.trim().split('\n')
    expect(line!.replace(/\(task-gen\.json:\d+:\d+\)$/, '(task-gen.json:…)')).toBe(expected)
    expect(rest).toEqual(['task-gen check: 1 problem found; nothing was written.'])
  }, 60_000)

  it('lists every command of the CLI in its reference table and its status line', async () => {
    const { COMMANDS } = await import('../../generator/cli/main.js')
    const table = README.slice(README.indexOf('## CLI reference'), README.indexOf('Common options:'))
    const status = README.slice(README.indexOf('> Status:'), README.indexOf('## Quick start'))
    expect(COMMANDS.length).toBeGreaterThan(8)
    for (const { name } of COMMANDS) {
      expect(table, name).toMatch(new RegExp(`^\\| [^|]*\`${name}[ \`]`, 'm'))
      expect(status, name).toContain(`\`${name}\``)
    }
  })

  it('documents every top-level config key', async () => {
    const { configJsonSchema } = await import('../../generator/config/json-schema.js')
    const keys = Object.keys((configJsonSchema() as { properties: Record<string, unknown> }).properties).filter((k) => k !== '$schema')
    for (const key of keys) expect(README, key).toMatch(new RegExp(`\\| \`${key.replace('$', '\\$')}[.\`]`))
  })

  it('links only to files that exist in the repository', () => {
    const links = [...README.matchAll(/\]\(((?!https?:|#)[^)]+)\)/g)].map((match) => match[1]!)
    expect(links.length).toBeGreaterThan(0)
    for (const link of links) expect(existsSync(join(REPO_ROOT, link)), link).toBe(true)
  })
})
