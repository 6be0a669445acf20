import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awsClients } from '../helpers/aws.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { localCommand, readmeCommand } from '../helpers/readme.js'
import { runAsync, type CliResult } from '../helpers/run-cli.js'
import { copyRepoExample } from '../helpers/shop.js'
import { requireTerraform, runTerraform, writeTerraformCliConfig } from '../helpers/terraform.js'

describe("the README's cdktf deploy of the shop example, against moto", () => {
  let moto: MotoServer
  let root: string
  let env: Record<string, string>
  let deployed: CliResult

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    // The repository's layout and its cdktf.json, the README's command as written.
    root = copyRepoExample('cdktf').root
    env = { ...moto.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(mkdtempSync(join(tmpdir(), 'tf-cli-'))), CI: '1' }
    const command = localCommand(readmeCommand('npx cdktf deploy').command)
    expect(command.env).toEqual({ CHECKPOINT_DISABLE: '1' })
    deployed = await runAsync(command.file, command.args, { cwd: root, env: { ...env, ...command.env } })
  }, 600_000)

  afterAll(async () => {
    await moto?.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('deploys every stack', () => {
    const output = `${deployed.stdout}\n${deployed.stderr}`
    expect(deployed.code, output).toBe(0)
    expect(output.match(/Apply complete!/g), output).toHaveLength(4)
  })

  it('leaves nothing to change: plan -detailed-exitcode exits 0 in every stack', async () => {
    for (const stack of ['on-failure', 'app-topics', 'orders', 'reports']) {
      const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd: join(root, 'cdktf.out/stacks', stack), env })
      expect(plan.code, `${stack}:\n${plan.stdout}${plan.stderr}`).toBe(0)
    }
  }, 180_000)

  it('created the functions as configured', async () => {
    const aws = awsClients(moto)
    expect(await aws.functionNames()).toEqual([
      'shop-dev-on-failure',
      'shop-dev-orders-notifyWarehouse',
      'shop-dev-orders-processOrder',
      'shop-dev-orders-reserveStock',
      'shop-dev-orders-sendReceipt',
      'shop-dev-reports-cleanupExports',
      'shop-dev-reports-generateReport',
      'shop-dev-reports-recordSale',
    ])
    expect(await aws.functionConfiguration('shop-dev-reports-generateReport')).toMatchObject({
      MemorySize: 1024,
      Timeout: 300,
      EphemeralStorage: { Size: 2048 },
    })
    expect((await aws.eventInvokeConfig('shop-dev-reports-generateReport')).MaximumRetryAttempts).toBe(1)
  })
})
