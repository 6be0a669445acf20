import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awsClients } from '../helpers/aws.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { requireTerraform, runTerraform, writeTerraformCliConfig } from '../helpers/terraform.js'

describe('state in S3 (backend.s3), and stages side by side, against moto', () => {
  let moto: MotoServer
  let project: string
  let env: Record<string, string>
  let s3: S3Client

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    await s3.send(new CreateBucketCommand({ Bucket: 'tf-state' }))
    project = mkdtempSync(join(tmpdir(), 'task-gen-s3-'))
    mkdirSync(join(project, 'src'))
    writeFileSync(join(project, 'src/ping.ts'), 'export default async function ping(p: { at: string }) { console.log(p.at) }\n')
    writeFileSync(
      join(project, 'task-gen.json'),
      JSON.stringify({
        app: 'state',
        region: 'us-east-1',
        backend: { s3: { bucket: 'tf-state', keyPrefix: 'infra/' } },
        stacks: { jobs: { tasks: { ping: './src/ping.ts' } } },
      }),
    )
    env = { ...moto.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(mkdtempSync(join(tmpdir(), 'tf-cli-'))) }
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
    rmSync(project, { recursive: true, force: true })
  })

  it('deploys with its state in the bucket, under <keyPrefix><app>/<stage>/<stack>.tfstate, and plans no changes after', async () => {
    const deployed = await runBinAsync(['deploy', '--auto-approve', '--stage', 'qa'], { cwd: project, env })
    expect(deployed.code, deployed.stderr).toBe(0)
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: 'tf-state' }))
    expect(objects.Contents?.map((o) => o.Key)).toEqual(['infra/state/qa/jobs.tfstate'])
    const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd: join(project, 'cdktf.out/stacks/jobs'), env })
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
  }, 300_000)

  it('deploys a second stage beside the first, each with its own state and resources', async () => {
    const deployed = await runBinAsync(['deploy', '--auto-approve', '--stage', 'prod'], { cwd: project, env })
    expect(deployed.code, deployed.stderr).toBe(0)
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: 'tf-state' }))
    expect(objects.Contents?.map((o) => o.Key)).toEqual(['infra/state/prod/jobs.tfstate', 'infra/state/qa/jobs.tfstate'])
    expect(await awsClients(moto).functionNames()).toEqual(['state-prod-jobs-ping', 'state-qa-jobs-ping'])
  }, 300_000)
})
