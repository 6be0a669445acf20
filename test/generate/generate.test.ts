import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { staleOutputFiles, writeOutputFolder, type OutputFolder } from '../../generator/fs/output-folder.js'
import { UserError } from '../../generator/errors/problem.js'
import { treeSnapshot } from '../helpers/tree-snapshot.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { REPO_ROOT, runBin } from '../helpers/run-cli.js'
import { CONSUMER_TSCONFIG, runTsc } from '../helpers/tsc.js'
import { versionFolder } from '../helpers/client-package.js'

afterAll(removeTempDirs)

const shopCopy = () => copyShop()

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const path of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (statSync(join(dir, path)).isFile()) files[path] = readFileSync(join(dir, path), 'utf8')
  }
  return files
}

describe('task-gen generate on the shop example', () => {
  it('writes the package to client.outDir', () => {
    const shop = shopCopy()
    const result = runBin(['generate'], { cwd: shop })
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe('✓ wrote @shop/tasks to generated/tasks: 7 task(s), 11 type(s), manifest 3.6 kB (largest task: orders.sendReceipt, 1.1 kB)\n')
    const version = versionFolder(join(shop, 'generated/tasks'))
    expect(version).toMatch(/^v-[0-9a-f]{12}$/)
    const content = ['index.d.ts', 'index.js', 'manifest.js', 'runtime.js', 'testing.d.ts', 'testing.js'].map((file) => `${version}/${file}`)
    expect(Object.keys(readTree(join(shop, 'generated/tasks')))).toEqual([
      '.task-gen-output.json',
      'README.md',
      'index.d.ts',
      'index.js',
      'package.json',
      'testing.d.ts',
      'testing.js',
      ...content,
    ])
  })

  it('gives identical bytes when run twice', () => {
    const shop = shopCopy()
    runBin(['generate', '--out', 'first'], { cwd: shop })
    runBin(['generate', '--out', 'second'], { cwd: shop })
    const first = readTree(join(shop, 'first'))
    expect(Object.keys(first).length).toBe(13)
    expect(readTree(join(shop, 'second'))).toEqual(first)
  })

  it('emits a package whose only dependencies are the AWS SDK clients it sends with (Lambda, SNS, SQS) and that imports nothing of the project', () => {
    const shop = shopCopy()
    runBin(['generate'], { cwd: shop })
    const files = readTree(join(shop, 'generated/tasks'))
    const pkg = JSON.parse(files['package.json']!) as Record<string, unknown>
    const v = versionFolder(join(shop, 'generated/tasks'))
    expect(pkg).toMatchObject({
      name: '@shop/tasks',
      type: 'module',
      types: `./${v}/index.d.ts`,
      exports: { '.': { types: `./${v}/index.d.ts`, default: `./${v}/index.js` }, './testing': { types: `./${v}/testing.d.ts`, default: `./${v}/testing.js` } },
    })
    expect(pkg.dependencies).toEqual({
      '@aws-sdk/client-lambda': expect.stringMatching(/^\^3\./),
      '@aws-sdk/client-sns': (pkg.dependencies as Record<string, string>)['@aws-sdk/client-lambda'],
      '@aws-sdk/client-sqs': (pkg.dependencies as Record<string, string>)['@aws-sdk/client-lambda'],
    })
    for (const [file, text] of Object.entries(files).filter(([f]) => /\.(js|ts)$/.test(f))) {
      const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"\n]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm)].map(
        (m) => m[1] ?? m[2],
      )
      if (file === `${v}/index.js`) expect(specifiers).toEqual(['./runtime.js', './manifest.js', './runtime.js'])
      // The stubs at the top re-export their entry of the version package.json names, and nothing else.
      if (!file.startsWith(`${v}/`)) expect(specifiers, file).toEqual([`./${v}/${file.replace(/\.d\.ts$/, '.js')}`])
      else
        for (const specifier of specifiers)
          expect(
            [
              './runtime.js',
              './manifest.js',
              './index.js',
              'node:crypto',
              '@aws-sdk/client-lambda',
              '@aws-sdk/client-sns',
              '@aws-sdk/client-s3',
              '@aws-sdk/client-scheduler',
              '@aws-sdk/client-sqs',
            ],
            `${file} imports ${specifier}`,
          ).toContain(specifier)
    }
  })

  it("type-checks in a fresh strict NodeNext consumer without the example's sources, and a wrong payload does not compile", () => {
    const shop = shopCopy()
    const root = tempDir('consumer')
    const consumer = join(root, 'app')
    runBin(['generate', '--out', join(consumer, 'node_modules/@shop/tasks')], { cwd: shop })
    rmSync(shop, { recursive: true })
    mkdirSync(join(root, 'node_modules'))
    symlinkSync(join(REPO_ROOT, 'node_modules/@aws-sdk'), join(root, 'node_modules/@aws-sdk'))
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    writeFileSync(join(consumer, 'tsconfig.json'), CONSUMER_TSCONFIG)
    const good = [
      "import { Task, Priority, decodeFailure, type ProcessOrderPayload } from '@shop/tasks'",
      "const order: ProcessOrderPayload = { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }], priority: Priority.High }",
      'export async function run() {',
      '  await Task.orders.processOrder(order)',
      "  await Task.orders.sendReceipt({ orderId: '1', customer: { id: 'c', email: 'a@b.c' }, total: { amount: 100, currency: 'EUR' }, channel: { kind: 'sms', phone: '+1' } })",
      "  await Task.reports.generateReport({ name: 'sales', from: '2026-01-01', to: '2026-02-01', filter: { region: 'eu' }, currency: 'USD' }, { stage: 'prod' })",
      '  await Task.reports.cleanupExports()',
      '}',
      'export function firstItem(body: string): string | undefined {',
      '  const decoded = decodeFailure(body)',
      "  if (decoded.ok && decoded.failure.stack === 'orders' && decoded.failure.task === 'processOrder') return decoded.failure.payload.items[0]?.productId",
      '  return undefined',
      '}',
      'export type Payload = Parameters<typeof Task.orders.processOrder>[0]',
      'export const same: ProcessOrderPayload extends Payload ? (Payload extends ProcessOrderPayload ? true : false) : false = true',
    ].join('\n')
    writeFileSync(join(consumer, 'main.ts'), good)
    expect(runTsc(consumer)).toEqual({ code: 0, output: '' })

    writeFileSync(join(consumer, 'main.ts'), `${good}\nexport const wrong: Payload = { orderId: 123, customerId: '456', items: [] }\n`)
    const wrong = runTsc(consumer)
    expect(wrong.code).not.toBe(0)
    expect(wrong.output).toContain("main.ts(16,33): error TS2322: Type 'number' is not assignable to type 'string'.")
  }, 60_000)
})

describe('the client package version', () => {
  const versionOf = (shop: string) => (JSON.parse(readFileSync(join(shop, 'generated/tasks/package.json'), 'utf8')) as { version: string }).version
  const setConfig = (shop: string, edit: (config: { client: Record<string, unknown> }) => void) => {
    const file = join(shop, 'task-gen.json')
    const config = JSON.parse(readFileSync(file, 'utf8'))
    edit(config)
    writeFileSync(file, JSON.stringify(config, null, 2))
  }

  it("is 0.0.0 without a package.json, else the app's version; client.version wins; --check keeps it", () => {
    const shop = shopCopy()
    rmSync(join(shop, 'package.json')) // the example's own (a workspace of its client)
    expect(runBin(['generate'], { cwd: shop }).code).toBe(0)
    expect(versionOf(shop)).toBe('0.0.0')
    writeFileSync(join(shop, 'package.json'), JSON.stringify({ name: 'shop', version: '2.1.0', private: true }))
    expect(runBin(['generate', '--check'], { cwd: shop })).toMatchObject({ code: 1, stderr: expect.stringContaining('Differs: package.json') })
    expect(runBin(['generate'], { cwd: shop }).code).toBe(0)
    expect(versionOf(shop)).toBe('2.1.0')
    setConfig(shop, (config) => (config.client.version = '3.0.0-beta.1'))
    expect(runBin(['generate', '--check'], { cwd: shop })).toMatchObject({ code: 1, stderr: expect.stringContaining('Differs: package.json') })
    expect(runBin(['generate'], { cwd: shop }).code).toBe(0)
    expect(versionOf(shop)).toBe('3.0.0-beta.1')
    expect(runBin(['generate', '--check'], { cwd: shop }).code).toBe(0)
    // An edit to the generated version is overwritten: the config is where it is kept.
    const generated = join(shop, 'generated/tasks/package.json')
    writeFileSync(generated, readFileSync(generated, 'utf8').replace('3.0.0-beta.1', '9.9.9'))
    expect(runBin(['generate', '--check'], { cwd: shop }).code).toBe(1)
  }, 120_000)
})

describe('generate --check', () => {
  it('exits 0 when the package is current and 1, naming the files, when it is stale', () => {
    const shop = shopCopy()
    expect(runBin(['generate', '--check'], { cwd: shop })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('@shop/tasks in generated/tasks is stale'),
    })
    runBin(['generate'], { cwd: shop })
    expect(runBin(['generate', '--check'], { cwd: shop })).toMatchObject({ code: 0, stdout: '✓ @shop/tasks in generated/tasks is up to date\n' })
    writeFileSync(
      join(shop, 'src/types/customer.ts'),
      readFileSync(join(shop, 'src/types/customer.ts'), 'utf8').replace('name?: string', 'name?: string\n  vip: boolean'),
    )
    // A file of the user's is not stale: generate keeps it.
    writeFileSync(join(shop, 'generated/tasks/extra.txt'), 'left over')
    const stale = runBin(['generate', '--check'], { cwd: shop })
    expect(stale.code).toBe(1)
    expect(stale.stderr).toBe('@shop/tasks in generated/tasks is stale; run `task-gen generate`. Differs: index.d.ts, manifest.js\n')
  })
})

describe('a failed generate', () => {
  it('leaves the previous package untouched', () => {
    const shop = shopCopy()
    runBin(['generate'], { cwd: shop })
    const before = readTree(join(shop, 'generated/tasks'))
    writeFileSync(
      join(shop, 'src/types/customer.ts'),
      'export interface Customer { id: string; email: string; since: Date }\nexport interface Receipt { orderId: string; customer: Customer; total: import("./common.js").Money; channel: { kind: "email" } }',
    )
    const result = runBin(['generate'], { cwd: shop })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'stacks.orders.tasks.sendReceipt: payload.customer.since is Date, which arrives as a string; use an ISO string (src/types/customer.ts:1:56)',
    )
    expect(readTree(join(shop, 'generated/tasks'))).toEqual(before)
    expect(readdirSync(join(shop, 'generated'))).toEqual(['tasks'])
  })

  it('check refuses the same payload, naming the handler file and line', () => {
    const shop = shopCopy()
    writeFileSync(join(shop, 'src/reports/cleanup-exports.ts'), 'export default async function cleanup(p: { before: bigint }) {}\n')
    const result = runBin(['check'], { cwd: shop })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'stacks.reports.tasks.cleanupExports: payload.before is bigint, which JSON.stringify cannot write; use a string or a number (src/reports/cleanup-exports.ts:1:44)',
    )
  })
})

describe('writeOutputFolder', () => {
  const folder = (dir: string, kind: 'client' | 'synth' = 'synth'): OutputFolder => ({ dir, kind, source: { path: '--output' }, protectedPaths: [] })
  const files = (entries: Record<string, string>) => new Map(Object.entries(entries))
  const problemsOf = async (run: () => Promise<unknown>) => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UserError)
    return (error as UserError).problems.map((p) => `${p.path}: ${p.message}`)
  }

  it('replaces only what its marker lists, removes the folders that leaves empty, and reports what it kept', async () => {
    const dir = join(tempDir('output'), 'out')
    await writeOutputFolder(folder(dir), files({ 'manifest.json': '1', 'stacks/a/cdk.tf.json': 'a', 'stacks/b/cdk.tf.json': 'b' }))
    mkdirSync(join(dir, 'stacks/a/.terraform'))
    writeFileSync(join(dir, 'stacks/a/.terraform.lock.hcl'), 'terraform wrote this')
    writeFileSync(join(dir, 'mine.txt'), 'the user wrote this')
    const report = await writeOutputFolder(folder(dir), files({ 'manifest.json': '2', 'stacks/c/cdk.tf.json': 'c' }))
    expect(report.kept).toEqual(['mine.txt', 'stacks/a/'])
    expect(Object.keys(treeSnapshot(dir))).toEqual([
      '.task-gen-output.json',
      'manifest.json',
      'mine.txt',
      'stacks',
      'stacks/a',
      'stacks/a/.terraform',
      'stacks/a/.terraform.lock.hcl',
      'stacks/c',
      'stacks/c/cdk.tf.json',
    ])
    expect(staleOutputFiles(folder(dir), files({ 'manifest.json': '2', 'stacks/c/cdk.tf.json': 'c' }))).toEqual([])
  })

  it('finishes the work of a run killed half-way: its marker already listed every file it was writing', async () => {
    const dir = join(tempDir('output'), 'out')
    await writeOutputFolder(folder(dir), files({ 'old.txt': 'old', 'kept.txt': 'v1' }))
    // As a killed run leaves it: the marker lists old and new files, one new file is in place, a temporary file is left.
    writeFileSync(
      join(dir, '.task-gen-output.json'),
      JSON.stringify({ generator: 'task-gen', version: 1, kind: 'synth', files: ['kept.txt', 'new.txt', 'old.txt'] }),
    )
    writeFileSync(join(dir, 'new.txt'), 'new')
    writeFileSync(join(dir, '.task-gen-tmp-999999999-0123456789ab'), 'half')
    await writeOutputFolder(folder(dir), files({ 'kept.txt': 'v2', 'new.txt': 'new' }))
    expect(readTree(dir)).toEqual({ '.task-gen-output.json': expect.stringContaining('"kept.txt",\n    "new.txt"\n  ]'), 'kept.txt': 'v2', 'new.txt': 'new' })
  })

  it.each([
    [
      "a file of the user's where the package has one",
      (dir: string) => writeFileSync(join(dir, 'stacks/a/cdk.tf.json'), 'mine'),
      'stacks/a/cdk.tf.json',
      "is not task-gen's (.task-gen-output.json does not list it); move it away",
    ],
    [
      'a link among its folders',
      (dir: string) => (rmSync(join(dir, 'stacks'), { recursive: true }), symlinkSync(tempDir('elsewhere'), join(dir, 'stacks'))),
      'stacks',
      'is a symbolic link; task-gen writes only into real folders inside its output folder',
    ],
    [
      'a folder where the package has a file',
      (dir: string) => mkdirSync(join(dir, 'stacks/a/cdk.tf.json')),
      'stacks/a/cdk.tf.json',
      'is a folder where task-gen writes a file; move it away',
    ],
  ])('refuses %s, naming it, and changes nothing', async (_, prepare, path, message) => {
    const dir = join(tempDir('output'), 'out')
    await writeOutputFolder(folder(dir), files({ 'manifest.json': '1' }))
    mkdirSync(join(dir, 'stacks/a'), { recursive: true })
    prepare(dir)
    const before = treeSnapshot(dir)
    const problems = await problemsOf(() => writeOutputFolder(folder(dir), files({ 'manifest.json': '2', 'stacks/a/cdk.tf.json': 'a' })))
    expect(problems).toEqual([`--output: ${JSON.stringify(relative(process.cwd(), join(dir, path)))} ${message}`])
    expect(treeSnapshot(dir)).toEqual(before)
  })

  it('refuses a folder of the other kind', async () => {
    const dir = join(tempDir('output'), 'out')
    await writeOutputFolder(folder(dir, 'client'), files({ 'index.js': '' }))
    expect(await problemsOf(() => writeOutputFolder(folder(dir, 'synth'), files({ 'manifest.json': '' })))).toEqual([
      `--output: the output folder ${JSON.stringify(relative(process.cwd(), dir))} holds a task-gen client package, not task-gen's Terraform output (synth); choose another folder`,
    ])
  })
})
