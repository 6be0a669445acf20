import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { runBin } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'
import { treeSnapshot } from '../helpers/tree-snapshot.js'

/** The project's files, but for task-gen's own extraction cache (.task-gen/cache), which reading the types may fill before the output folder is refused. */
function projectTree(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(treeSnapshot(dir)).filter(([path]) => path !== '.task-gen' && !path.startsWith('.task-gen/cache')))
}

afterAll(removeTempDirs)

/** Files of the user's where synth writes: a Terraform stack of their own and a manifest.json. */
function addForeignStacks(dir: string): void {
  mkdirSync(join(dir, 'stacks/foo'), { recursive: true })
  writeFileSync(join(dir, 'stacks/foo/main.tf'), 'resource "null_resource" "mine" {}\n')
  writeFileSync(join(dir, 'manifest.json'), '{ "mine": true }\n')
}

describe("synth into a folder that is not task-gen's", () => {
  it('--output . is refused: the stacks and manifest.json there are untouched', () => {
    const shop = copyShop('synth-out')
    addForeignStacks(shop)
    const before = projectTree(shop)
    const result = runBin(['synth', '--output', '.'], { cwd: shop })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      '--output: the output folder "." is the project folder, which task-gen never writes over; choose a folder of its own, such as "cdktf.out"\ntask-gen synth: 1 problem found; nothing was written.\n',
    )
    expect(projectTree(shop)).toEqual(before)
  })

  it("a folder with a stack and a manifest.json of the user's is refused, untouched", () => {
    const shop = copyShop('synth-out')
    addForeignStacks(join(shop, 'infra'))
    const before = projectTree(shop)
    const result = runBin(['synth', '--output', 'infra'], { cwd: shop })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      '--output: the output folder "infra" holds files task-gen did not write (it has no .task-gen-output.json): manifest.json, stacks. Choose a new or empty folder, or empty this one\n',
    )
    expect(projectTree(shop)).toEqual(before)
  })

  it('CDKTF_OUTDIR is named when it chose the folder', () => {
    const shop = copyShop('synth-out')
    const before = projectTree(shop)
    const result = runBin(['synth'], { cwd: shop, env: { CDKTF_OUTDIR: join(shop, 'src') } })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('CDKTF_OUTDIR: the output folder "src" contains a handler file "src/orders/process-order.ts"')
    expect(projectTree(shop)).toEqual(before)
  })
})

describe('synth into its own folder again', () => {
  it("removes what it wrote for a stack that is gone, and keeps Terraform's working files and the user's", async () => {
    const shop = copyShop('synth-out')
    const configFile = join(shop, 'task-gen.json')
    const out = join(shop, 'cdktf.out')
    const synth = async () => {
      const { model, extraction } = await loadAndExtract({ configFile })
      return synthesize(model, extraction, out)
    }
    await synth()
    for (const stack of ['orders', 'reports']) {
      mkdirSync(join(out, 'stacks', stack, '.terraform/providers'), { recursive: true })
      writeFileSync(join(out, 'stacks', stack, '.terraform.lock.hcl'), '# terraform init wrote this\n')
    }
    writeFileSync(join(out, 'NOTES.md'), 'the user wrote this')
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { stacks: Record<string, unknown> }
    delete config.stacks.reports
    writeFileSync(configFile, JSON.stringify(config))

    const result = await synth()
    expect(result.stacks.map((s) => s.name)).toEqual(['on-failure', 'app-topics', 'orders'])
    expect(result.kept).toEqual(['NOTES.md', 'stacks/reports/'])
    // Of the removed stack, only Terraform's files remain; its cdk.tf.json and assets are gone.
    expect(readdirSync(join(out, 'stacks/reports')).sort()).toEqual(['.terraform', '.terraform.lock.hcl'])
    expect(existsSync(join(out, 'stacks/orders/.terraform/providers'))).toBe(true)
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('the user wrote this')
    const marker = JSON.parse(readFileSync(join(out, '.task-gen-output.json'), 'utf8')) as { kind: string; files: string[] }
    expect(marker.kind).toBe('synth')
    expect(marker.files.filter((f) => !f.includes('/assets/'))).toEqual([
      'manifest.json',
      'stacks/app-topics/cdk.tf.json',
      'stacks/on-failure/cdk.tf.json',
      'stacks/orders/cdk.tf.json',
    ])
    // One bundle for each of the orders tasks and one for the on-failure handler, each on disk.
    expect(marker.files.filter((f) => f.includes('/assets/')).map((f) => existsSync(join(out, f)))).toEqual([true, true, true, true, true])
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).stacks.reports).toBeUndefined()
  }, 60_000)
})
