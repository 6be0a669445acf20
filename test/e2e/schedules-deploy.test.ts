import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { writeScheduledProject } from '../helpers/schedule-project.js'
import { requireTerraform, runTerraform, shownResources, writeTerraformCliConfig } from '../helpers/terraform.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

describe('deploy of a stack with schedules against moto', () => {
  let moto: MotoServer
  let dir: string
  let env: Record<string, string>
  let deployed: CliResult
  const stackDir = () => join(dir, 'cdktf.out/stacks/jobs')

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    dir = tempDir('schedules-deploy')
    writeScheduledProject(dir)
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

  it('the schedules read back from the cloud as configured', async () => {
    const resources = await shownResources({ cwd: stackDir(), env })
    const schedules = resources.filter((r) => r.type === 'aws_scheduler_schedule').map((r) => r.values)
    const queue = resources.find((r) => r.type === 'aws_sqs_queue' && r.name === 'nightly_failures')!.values
    const fn = resources.find((r) => r.type === 'aws_lambda_function' && r.name === 'nightly_function')!.values
    const role = resources.find((r) => r.type === 'aws_iam_role' && r.name === 'nightly_schedule_role')!.values
    expect(schedules.map((s) => [s.name, s.group_name, s.schedule_expression, s.schedule_expression_timezone, s.state])).toEqual([
      ['nightly-0', 'shop-dev-jobs', 'cron(0 3 * * ? *)', 'Europe/Amsterdam', 'ENABLED'],
      ['nightly-1', 'shop-dev-jobs', 'rate(1 hour)', 'UTC', 'DISABLED'],
    ])
    for (const schedule of schedules) {
      expect(schedule.target[0]).toMatchObject({ arn: fn.arn, role_arn: role.arn, dead_letter_config: [{ arn: queue.arn }] })
    }
    expect(JSON.parse(schedules[0]!.target[0].input)).toEqual({ kind: 'daily', note: 'costs ${total}' })
  }, 120_000)

  it('destroy removes the schedules with the stack', async () => {
    const destroyed = await runBinAsync(['destroy', '--auto-approve'], { cwd: dir, env })
    expect(destroyed.stderr).toBe('')
    expect(destroyed.code).toBe(0)
  }, 300_000)
})
