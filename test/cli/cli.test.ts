import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../generator/cli/main.js'
import { REPO_ROOT, runBin } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir as makeTempDir } from '../helpers/temp.js'

const tempDir = () => makeTempDir('cli')
afterAll(removeTempDirs)

/** Every file below dir with its size and modification time, to show that nothing was written. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => {
      const stat = statSync(join(dir, file))
      return `${file} ${stat.size} ${stat.mtimeMs}`
    })
    .sort()
}

async function runInProcess(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

const COMMANDS = ['generate', 'check', 'synth', 'deploy', 'destroy', 'dev', 'failures list', 'failures replay']

describe('task-gen check', () => {
  it('accepts the shop example (exit 0)', () => {
    const result = runBin(['check', '--config', 'examples/shop/task-gen.json'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe('✓ examples/shop/task-gen.json: app "shop", stage "dev", 2 stack(s), 7 task(s), an on-failure handler\n')
  })

  it('reports three mistakes at once, exits 1 and writes nothing', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'src'))
    writeFileSync(join(dir, 'src/send.ts'), 'export default async () => {}')
    writeFileSync(
      join(dir, 'task-gen.json'),
      JSON.stringify(
        {
          app: 'shop',
          region: 'us-east-1',
          stacks: {
            orders: {
              tasks: {
                processOrder: { consumer: './src/process-order.ts', retryAttempts: 3 },
                sendReceipt: { consumer: { code: './src/send.ts', memory: '512 MB' } },
              },
            },
          },
        },
        null,
        2,
      ),
    )
    const before = snapshot(dir)
    const result = runBin(['check'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([
      `stacks.orders.tasks.processOrder.consumer: handler file "./src/process-order.ts" not found (resolved to ${join(dir, 'src/process-order.ts')}) (task-gen.json:8:11)`,
      'stacks.orders.tasks.processOrder.retryAttempts: must be an integer from 0 to 2, got 3 (task-gen.json:9:11)',
      'stacks.orders.tasks.sendReceipt.consumer.memory: unknown key "memory"; did you mean "memorySize"? (task-gen.json:14:13)',
      'task-gen check: 3 problems found; nothing was written.',
    ])
    expect(snapshot(dir)).toEqual(before)
  })

  it('names the file, line and column of a JSON syntax error', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'task-gen.json'), '{\n  "app": "shop",\n  "region" "us-east-1"\n}\n')
    const result = runBin(['check'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr.split('\n')[0]).toBe('task-gen.json:3:12: expected ":" after property name "region", got "\\""')
  })

  it('says where it looked for a missing config file', () => {
    const dir = tempDir()
    const result = runBin(['check', '--config', 'nope/task-gen.json'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`config file "nope/task-gen.json" not found (resolved to ${join(dir, 'nope/task-gen.json')})`)
  })

  it('derives names with --stage and refuses a stage that is not a name (exit 2)', async () => {
    expect((await runInProcess(['check', '--config', 'examples/shop/task-gen.json', '--stage', 'prod'])).stdout).toContain('stage "prod"')
    const bad = await runInProcess(['check', '--config', 'examples/shop/task-gen.json', '--stage', 'Prod'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--stage: the stage name must be lowercase')
  })
})

describe('the CLI', () => {
  it.each(COMMANDS)('%s --help prints its usage and exits 0', async (command) => {
    const result = await runInProcess([...command.split(' '), '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Usage: task-gen ${command}`)
    expect(result.stdout).toContain('--config <file>')
    expect(result.stdout).toContain('--stage <name>')
  })

  it('lists every command in the main help', async () => {
    const result = await runInProcess(['--help'])
    expect(result.code).toBe(0)
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command} `)
  })

  it.each([
    [['dev', '--port', 'abc'], '--port: expected a port number from 0 to 65535 (0: any free port), got "abc"'],
    [['dev', '--retry-delay', 'soon'], '--retry-delay: expected a duration like "30 seconds"'],
    [['dev', '--account-id', '1234'], '--account-id: expected an AWS account id, 12 digits, got "1234"'],
    [
      ['failures', 'list', '--config', 'examples/shop/task-gen.json', '--task', 'nope'],
      '--task: no task "nope"; the tasks are: processOrder, sendReceipt, reserveStock, notifyWarehouse, generateReport, cleanupExports, recordSale',
    ],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const result = await runInProcess(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })

  it('--dead-letter without an onFailure handler is a usage error (exit 2)', async () => {
    const shop = copyShop('cli-dlq')
    const configFile = join(shop, 'task-gen.json')
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('"onFailure": "./src/on-failure.ts",', ''))
    const result = await runInProcess(['failures', 'list', '--dead-letter', '--config', configFile])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--dead-letter: there is no dead-letter queue, because the config has no onFailure handler')
  })

  it('dev with an invalid config reports it and exits 1 without serving', async () => {
    const result = await runInProcess(['dev', '--config', 'nope.json', '--port', '0'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('config file "nope.json" not found')
    expect(result.stdout).toBe('')
  })

  it('failures replay --local says when task-gen dev is not running (exit 2)', async () => {
    const shop = copyShop('cli-replay')
    const result = await runInProcess(['failures', 'replay', '--local', '--config', join(shop, 'task-gen.json')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /--local replays through `task-gen dev`, and it is not running for .*task-gen\.json, stage "dev" \(no .*\.task-gen\/dev\/server-dev\.json\); start it first/,
    )
    // A file left by a dev that ended does not count.
    mkdirSync(join(shop, '.task-gen/dev'), { recursive: true })
    writeFileSync(join(shop, '.task-gen/dev/server-dev.json'), JSON.stringify({ endpoint: 'http://127.0.0.1:1', pid: 2 ** 22 + 7, stage: 'dev' }))
    const stale = await runInProcess(['failures', 'replay', '--local', '--config', join(shop, 'task-gen.json')])
    expect(stale.code).toBe(2)
    expect(stale.stderr).toContain(`(its process ${2 ** 22 + 7} has ended)`)
  })

  it('treats bare task-gen as generate', async () => {
    const result = await runInProcess(['--config', 'nope.json'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('config file "nope.json" not found')
    expect(result.stderr).toContain('task-gen generate: 1 problem found')
  })

  it('exits 2 on an unknown command, suggesting the nearest', async () => {
    const result = await runInProcess(['chek'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown command "chek"; did you mean "check"?')
  })

  it('exits 2 on an unknown flag', async () => {
    const result = await runInProcess(['check', '--confg', 'x.json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown option "--confg"; did you mean "--config"?')
    expect(result.stderr).toContain('task-gen check --help')
  })

  it('task-gen failures --help lists its two commands (exit 0)', async () => {
    const result = await runInProcess(['failures', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: task-gen failures <command> [options]')
    expect(result.stdout).toMatch(/^ {2}failures list {4}show failed invocations/m)
    expect(result.stdout).toMatch(/^ {2}failures replay {2}re-invoke failed events/m)
  })

  it('the main help lists --version and the exit codes, internal errors included', async () => {
    const { stdout } = await runInProcess(['--help'])
    expect(stdout).toContain('-v, --version  print the version of task-gen')
    expect(stdout).toContain('70 an internal error (a bug in task-gen: please report it)')
  })

  it('destroy --help speaks of destroying, not applying', async () => {
    const { stdout } = await runInProcess(['destroy', '--help'])
    expect(stdout).toContain('--auto-approve   destroy without asking')
    expect(stdout).not.toMatch(/\bapply\b/)
  })

  it.each(['deploy', 'destroy'])('%s refuses to run without --auto-approve when not on a terminal (exit 2)', (command) => {
    const result = runBin([command, '--config', 'examples/shop/task-gen.json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`refusing to ${command === 'deploy' ? 'apply' : 'destroy'} without --auto-approve`)
  })

  it('deploy names the stacks when asked for one that does not exist (exit 2)', () => {
    const result = runBin(['deploy', 'billing', '--auto-approve', '--config', 'examples/shop/task-gen.json', '--output', join(tempDir(), 'out')])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown stack "billing"; the stacks are: on-failure, app-topics, orders, reports')
  })

  it('deploy says so when terraform fails, with its output, and exits 1', () => {
    const result = runBin(['deploy', '--auto-approve', '--config', 'examples/shop/task-gen.json', '--output', join(tempDir(), 'out')], {
      env: { PATH: `${join(REPO_ROOT, 'test/fixtures/fake-terraform')}:${process.env.PATH}` },
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('[1/4] on-failure: terraform init')
    expect(result.stderr).toContain('task-gen deploy: terraform init failed for stack on-failure in')
    expect(result.stderr).toContain('Error: fake terraform refuses to work')
  })

  it('exits 2 on a positional argument a command does not take', async () => {
    expect((await runInProcess(['check', 'extra'])).code).toBe(2)
  })

  it('prints its version', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default
    expect(await runInProcess(['--version'])).toEqual({ code: 0, stdout: version, stderr: '' })
  })
})

describe('installed in another project', () => {
  it('runs with npx and plain Node, without a TypeScript loader', () => {
    const project = tempDir()
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }))
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', REPO_ROOT], { cwd: project, encoding: 'utf8' })
    cpSync(join(REPO_ROOT, 'examples/shop'), project, { recursive: true })
    const out = execFileSync('npx', ['--no-install', 'task-gen', 'check'], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    expect(out).toContain('✓ ./task-gen.json: app "shop"')
  }, 120_000)
})
