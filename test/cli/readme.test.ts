import { execSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/run-cli.js'

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

describe('the README', () => {
  it('quick start: its second command generates the example\'s client and synthesizes its stacks', () => {
    const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(README)?.[1]
    const lines = block!.trim().split('\n').map((line) => line.replace(/\s+#.*$/, ''))
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe('npm install')
    expect(lines[2]).toBe('npm test')
    execSync(lines[1]!, { cwd: REPO_ROOT, stdio: 'pipe' })
    expect(existsSync(join(REPO_ROOT, 'examples/shop/generated/tasks/index.d.ts'))).toBe(true)
    for (const stack of ['on-failure', 'orders', 'reports']) expect(existsSync(join(REPO_ROOT, `cdktf.out/stacks/${stack}/cdk.tf.json`)), stack).toBe(true)
  }, 60_000)

  it('lists every command of the CLI', () => {
    for (const command of ['generate', 'check', 'synth', 'deploy [stack…]', 'destroy [stack…]', 'dev', 'failures list', 'failures replay']) {
      expect(README).toContain(`\`${command}`)
    }
  })

  it('documents every top-level config key', async () => {
    const { configJsonSchema } = await import('../../generator/config/json-schema.js')
    const keys = Object.keys((configJsonSchema() as { properties: Record<string, unknown> }).properties).filter((k) => k !== '$schema')
    for (const key of keys) expect(README, key).toMatch(new RegExp(`\\| \`${key.replace('$', '\\$')}[.\`]`))
  })
})
