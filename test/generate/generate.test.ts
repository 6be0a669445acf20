import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { staleFiles, writeDirectoryAtomically } from '../../generator/emit/write-directory.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { REPO_ROOT, runBin } from '../helpers/run-cli.js'
import { CONSUMER_TSCONFIG, runTsc } from '../helpers/tsc.js'

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
    expect(result.stdout).toBe('✓ wrote @shop/tasks to generated/tasks: 4 task(s), 9 type(s)\n')
    expect(Object.keys(readTree(join(shop, 'generated/tasks')))).toEqual(['README.md', 'index.d.ts', 'index.js', 'manifest.js', 'package.json', 'runtime.js', 'testing.d.ts', 'testing.js'])
  })

  it('gives identical bytes when run twice', () => {
    const shop = shopCopy()
    runBin(['generate', '--out', 'first'], { cwd: shop })
    runBin(['generate', '--out', 'second'], { cwd: shop })
    const first = readTree(join(shop, 'first'))
    expect(Object.keys(first).length).toBe(8)
    expect(readTree(join(shop, 'second'))).toEqual(first)
  })

  it('emits a package whose only dependency is @aws-sdk/client-lambda and that imports nothing of the project', () => {
    const shop = shopCopy()
    runBin(['generate'], { cwd: shop })
    const files = readTree(join(shop, 'generated/tasks'))
    const pkg = JSON.parse(files['package.json']!) as Record<string, unknown>
    expect(pkg).toMatchObject({ name: '@shop/tasks', type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' }, './testing': { types: './testing.d.ts', default: './testing.js' } } })
    expect(Object.keys(pkg.dependencies as object)).toEqual(['@aws-sdk/client-lambda'])
    for (const [file, text] of Object.entries(files).filter(([f]) => /\.(js|ts)$/.test(f))) {
      const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"\n]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2])
      if (file === 'index.js') expect(specifiers).toEqual(['./runtime.js', './manifest.js', './runtime.js'])
      for (const specifier of specifiers) expect(['./runtime.js', './manifest.js', './index.js', '@aws-sdk/client-lambda'], `${file} imports ${specifier}`).toContain(specifier)
    }
  })

  it('type-checks in a fresh strict NodeNext consumer without the example\'s sources, and a wrong payload does not compile', () => {
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

describe('generate --check', () => {
  it('exits 0 when the package is current and 1, naming the files, when it is stale', () => {
    const shop = shopCopy()
    expect(runBin(['generate', '--check'], { cwd: shop })).toMatchObject({ code: 1, stderr: expect.stringContaining('@shop/tasks in generated/tasks is stale') })
    runBin(['generate'], { cwd: shop })
    expect(runBin(['generate', '--check'], { cwd: shop })).toMatchObject({ code: 0, stdout: '✓ @shop/tasks in generated/tasks is up to date\n' })
    writeFileSync(join(shop, 'src/types/customer.ts'), readFileSync(join(shop, 'src/types/customer.ts'), 'utf8').replace('name?: string', 'name?: string\n  vip: boolean'))
    writeFileSync(join(shop, 'generated/tasks/extra.txt'), 'left over')
    const stale = runBin(['generate', '--check'], { cwd: shop })
    expect(stale.code).toBe(1)
    expect(stale.stderr).toBe('@shop/tasks in generated/tasks is stale; run `task-gen generate`. Differs: extra.txt, index.d.ts, manifest.js\n')
  })
})

describe('a failed generate', () => {
  it('leaves the previous package untouched', () => {
    const shop = shopCopy()
    runBin(['generate'], { cwd: shop })
    const before = readTree(join(shop, 'generated/tasks'))
    writeFileSync(join(shop, 'src/types/customer.ts'), 'export interface Customer { id: string; email: string; since: Date }\nexport interface Receipt { orderId: string; customer: Customer; total: import("./common.js").Money; channel: { kind: "email" } }')
    const result = runBin(['generate'], { cwd: shop })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('stacks.orders.tasks.sendReceipt: payload.customer.since is Date, which arrives as a string; use an ISO string (src/types/customer.ts:1:56)')
    expect(readTree(join(shop, 'generated/tasks'))).toEqual(before)
    expect(readdirSync(join(shop, 'generated'))).toEqual(['tasks'])
  })

  it('check refuses the same payload, naming the handler file and line', () => {
    const shop = shopCopy()
    writeFileSync(join(shop, 'src/reports/cleanup-exports.ts'), 'export default async function cleanup(p: { before: bigint }) {}\n')
    const result = runBin(['check'], { cwd: shop })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('stacks.reports.tasks.cleanupExports: payload.before is bigint, which JSON.stringify cannot write; use a string or a number (src/reports/cleanup-exports.ts:1:44)')
  })
})

describe('writeDirectoryAtomically', () => {
  it('replaces the folder with exactly the new files', () => {
    const dir = join(tempDir('atomic'), 'out')
    writeDirectoryAtomically(dir, new Map([['a.txt', 'a'], ['sub/b.txt', 'b']]))
    writeDirectoryAtomically(dir, new Map([['c.txt', 'c']]))
    expect(readdirSync(dir)).toEqual(['c.txt'])
    expect(staleFiles(dir, new Map([['c.txt', 'c']]))).toEqual([])
  })

  it('keeps the previous contents, and leaves no temporary folder, when writing fails', () => {
    const parent = tempDir('atomic')
    const dir = join(parent, 'out')
    writeDirectoryAtomically(dir, new Map([['a.txt', 'old']]))
    // A file and a folder of the same name cannot both be written.
    expect(() => writeDirectoryAtomically(dir, new Map([['x', 'file'], ['x/y.txt', 'nested']]))).toThrow()
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old')
    expect(readdirSync(parent)).toEqual(['out'])
  })
})
