import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createTaskClient } from '../../runtime/client/index.js'
import { writeProject } from '../helpers/client-project.js'
import { generateInRepo } from '../helpers/generated-shop.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync, type CliResult } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { requireTerraform, runTerraform, writeTerraformCliConfig } from '../helpers/terraform.js'

/** An app that offloads large payloads, with one task. */
function project(dir: string): string {
  return writeProject(
    dir,
    { app: 'shop', region: 'us-east-1', payloads: {}, stacks: { media: { tasks: { ingest: './src/ingest.ts' } } } },
    { 'src/ingest.ts': 'export default async function ingest(file: { name: string; data: string }) {}\n' },
  )
}

describe('deploy of an app with a payload bucket against moto', () => {
  let moto: MotoServer
  let dir: string
  let env: Record<string, string>
  let deployed: CliResult

  beforeAll(async () => {
    requireTerraform()
    moto = await startMoto()
    dir = tempDir('payloads-deploy')
    project(dir)
    env = { ...moto.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(mkdtempSync(join(tmpdir(), 'tf-cli-'))) }
    deployed = await runBinAsync(['deploy', '--auto-approve'], { cwd: dir, env })
  }, 600_000)

  afterAll(async () => {
    await moto?.stop()
    removeTempDirs()
  })

  it('applies the payloads stack before the task stack', () => {
    expect(deployed.stderr).toBe('')
    expect(deployed.code).toBe(0)
    expect(deployed.stdout.indexOf('app-payloads')).toBeGreaterThanOrEqual(0)
    expect(deployed.stdout.indexOf('app-payloads')).toBeLessThan(deployed.stdout.indexOf('media'))
  })

  it('validates, and a second plan of each stack reports no changes', async () => {
    for (const stack of ['app-payloads', 'media']) {
      const cwd = join(dir, 'cdktf.out/stacks', stack)
      const validate = await runTerraform(['validate', '-no-color'], { cwd, env })
      expect(validate.code, validate.stderr).toBe(0)
      const plan = await runTerraform(['plan', '-detailed-exitcode', '-input=false', '-no-color'], { cwd, env })
      expect(plan.code, `${stack}: ${plan.stdout}${plan.stderr}`).toBe(0)
    }
  }, 300_000)

  it("a 5 MB payload sent by the generated client is stored whole in the bucket, under the task's prefix, and the call is accepted", async () => {
    const generated = await generateInRepo(join(dir, 'task-gen.json'), 'payloads-deploy')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, moto.env)
      delete process.env.TASK_GEN_STAGE
      const { Task } = await generated.load<{ Task: ReturnType<typeof createTaskClient> }>()
      const payload = { name: 'big.bin', data: 'x'.repeat(5 * 1024 * 1024) }
      const accepted = await Task.media!.ingest!(payload)
      expect(accepted).toMatchObject({ functionName: 'shop-dev-media-ingest' })
      const s3 = new S3Client({
        region: 'us-east-1',
        endpoint: moto.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      })
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'shop-dev-payloads' }))
      expect(listed.Contents?.map((o) => o.Key)).toEqual([expect.stringMatching(/^shop\/dev\/media\/ingest\/[0-9a-f-]{36}\.json$/)])
      const object = await s3.send(new GetObjectCommand({ Bucket: 'shop-dev-payloads', Key: listed.Contents![0]!.Key! }))
      const body = await object.Body!.transformToString()
      expect(createHash('sha256').update(body).digest('hex')).toBe(createHash('sha256').update(JSON.stringify(payload)).digest('hex'))
    } finally {
      process.env = saved
      generated.remove()
    }
  }, 120_000)

  it('destroy removes the bucket with what it holds', async () => {
    const destroyed = await runBinAsync(['destroy', '--auto-approve'], { cwd: dir, env })
    expect(destroyed.stderr).toBe('')
    expect(destroyed.code).toBe(0)
  }, 300_000)
})
