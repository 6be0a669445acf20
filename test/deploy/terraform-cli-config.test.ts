import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { providerMirrorConfig, terraformCliConfigEnv } from '../../generator/deploy/terraform-cli-config.js'
import { UserError } from '../../generator/errors/problem.js'
import { runBin } from '../helpers/run-cli.js'
import { TF_PLUGIN_MIRROR } from '../helpers/terraform.js'

describe('TASK_GEN_PROVIDER_MIRROR', () => {
  it('is off when unset: terraform keeps its own configuration', () => {
    expect(terraformCliConfigEnv({})).toEqual({})
    expect(terraformCliConfigEnv({ TASK_GEN_PROVIDER_MIRROR: '' })).toEqual({})
  })

  it('writes a CLI config that reads the AWS provider from the folder, in place of TF_CLI_CONFIG_FILE', () => {
    const env = terraformCliConfigEnv({ TASK_GEN_PROVIDER_MIRROR: TF_PLUGIN_MIRROR, TF_CLI_CONFIG_FILE: '/nowhere/terraform.rc' })
    expect(env.TF_CLI_CONFIG_FILE).not.toBe('/nowhere/terraform.rc')
    const config = readFileSync(env.TF_CLI_CONFIG_FILE!, 'utf8')
    expect(config).toContain(`path    = "${TF_PLUGIN_MIRROR}"`)
    expect(config).toContain('include = ["registry.terraform.io/hashicorp/aws"]')
    expect(config).toContain('exclude = ["registry.terraform.io/hashicorp/aws"]')
  })

  it('writes a folder name with quotes and backslashes as an HCL string that terraform reads back', () => {
    const config = providerMirrorConfig('/a "b" \\c')
    expect(config).toContain('path    = "/a \\"b\\" \\\\c"')
    const file = join(mkdtempSync(join(tmpdir(), 'tf-rc-')), 'terraform.rc')
    writeFileSync(file, config)
    const version = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: file, CHECKPOINT_DISABLE: '1' } })
    expect(version.error).toBeUndefined()
    expect(version.stderr).not.toMatch(/error|invalid/i)
    expect(version.status).toBe(0)
  })

  it('names the variable when the folder does not exist', () => {
    let thrown: unknown
    try {
      terraformCliConfigEnv({ TASK_GEN_PROVIDER_MIRROR: '/no/such/mirror' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UserError)
    expect((thrown as UserError).problems).toEqual([
      expect.objectContaining({ code: 'environment', path: 'TASK_GEN_PROVIDER_MIRROR', message: expect.stringContaining('"/no/such/mirror" does not exist') }),
    ])
  })

  it('deploy refuses a missing mirror before it synthesizes anything (exit 1)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mirror-')), 'out')
    const result = runBin(['deploy', '--auto-approve', '--config', 'examples/shop/task-gen.json', '--output', out], {
      env: { TASK_GEN_PROVIDER_MIRROR: '/no/such/mirror' },
    })
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain('TASK_GEN_PROVIDER_MIRROR: the provider mirror "/no/such/mirror" does not exist')
    expect(existsSync(out)).toBe(false)
  })
})
