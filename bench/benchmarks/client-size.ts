import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { installFixture } from '../../scripts/install-fixture.js'
import { runChild } from '../lib/child.js'
import { REPO_ROOT, TASK_GEN_BIN, WORK_DIR } from '../lib/paths.js'
import type { Results } from '../lib/results.js'

/** One measure of the generated client for a task whose payload is Stripe 20's `Stripe.Event`. */
interface SizeMeasure {
  key: 'dts' | 'manifest' | 'numbered'
  label: string
  unit: 'kB' | 'names'
  /** At 0908c74, before identical structures were merged and shared names namespaced. */
  before: number
  /** The most it may be: a regression of either (or Stripe's typings growing much) fails it. */
  budget: number
}

export const CLIENT_SIZE_MEASURES: readonly SizeMeasure[] = [
  // Each of the ~2,700 declarations carries a `From <file>:<line>` note (about 140 kB here), and the manifest is single-quoted.
  { key: 'dts', label: 'index.d.ts', unit: 'kB', before: 1873.8, budget: 1750 },
  { key: 'manifest', label: 'manifest.js', unit: 'kB', before: 2527.6, budget: 1250 },
  { key: 'numbered', label: 'types renamed to `Name_N`', unit: 'names', before: 1604, budget: 0 },
]

export interface ClientSize {
  dts: number
  manifest: number
  numbered: number
}

/** A one-task app whose payload is `Stripe.Event`, beside the Stripe 20 fixture's packages. */
function writeStripeEventApp(dir: string): string {
  const nodeModules = installFixture(join(REPO_ROOT, 'test/fixtures/stripe-20'))
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'src'), { recursive: true })
  symlinkSync(nodeModules, join(dir, 'node_modules'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stripe-event-app', private: true, type: 'module' }))
  writeFileSync(
    join(dir, 'src/event.ts'),
    "import type Stripe from 'stripe'\n\nexport default async function (event: Stripe.Event): Promise<void> {\n  void event\n}\n",
  )
  const config = join(dir, 'task-gen.json')
  writeFileSync(
    config,
    JSON.stringify({ app: 'sizes', region: 'us-east-1', client: { name: 'stripe-event-client' }, stacks: { s: { tasks: { event: './src/event.ts' } } } }),
  )
  return config
}

/** Generates the client and measures it: its two large files, and the declarations it numbered. */
export async function measureClientSize(dir: string): Promise<ClientSize> {
  const config = writeStripeEventApp(dir)
  await runChild(process.execPath, [TASK_GEN_BIN, 'generate', '--config', config], { cwd: dir })
  const clientDir = join(dir, '.task-gen/client')
  const version = readdirSync(clientDir).find((name) => name.startsWith('v-'))
  if (!version) throw new Error(`no version folder in ${clientDir}`)
  const file = (name: string) => readFileSync(join(clientDir, version, name), 'utf8')
  const dts = file('index.d.ts')
  const names = [...dts.matchAll(/^export (?:type|interface|declare enum) (\w+)/gm)].map((m) => m[1]!)
  return {
    dts: Buffer.byteLength(dts) / 1000,
    manifest: Buffer.byteLength(file('manifest.js')) / 1000,
    numbered: names.filter((name) => /_\d+$/.test(name)).length,
  }
}

/** The sizes beside the numbers before and their budgets, as a markdown table. */
export function clientSizeTable(size: ClientSize): string {
  const rows = CLIENT_SIZE_MEASURES.map(
    (m) =>
      `| ${m.label} | ${m.before} ${m.unit} | ${size[m.key].toFixed(m.unit === 'kB' ? 1 : 0)} ${m.unit} | <= ${m.budget} ${m.unit} | ${size[m.key] <= m.budget ? 'met' : '**missed**'} |`,
  )
  return ['| Stripe.Event client | before (0908c74) | now | budget | |', '|---|---|---|---|---|', ...rows].join('\n')
}

/** Records the client-size measures and whether each is within its budget. */
export async function benchClientSize(results: Results, log: (line: string) => void): Promise<ClientSize> {
  const size = await measureClientSize(join(WORK_DIR, 'stripe-event'))
  for (const m of CLIENT_SIZE_MEASURES) {
    const value = size[m.key]
    results.measurements[`clientSize.stripeEvent.${m.key}`] = { median: value, min: value, max: value, runs: 1, unit: m.unit }
  }
  const table = clientSizeTable(size)
  results.notes.push(`Client size for a task whose payload is Stripe 20's Stripe.Event:\n\n${table}`)
  log(table)
  return size
}
