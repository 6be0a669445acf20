import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The app of the offload benchmark: one task whose payload is a catalog import (a list of rows),
 * in an app with `"payloads"` configured, so that a call of a few MB is stored in S3 and invoked
 * by reference.
 */
export const OFFLOAD_APP = { app: 'bench', stage: 'dev', region: 'us-east-1', stack: 'imports', task: 'importCatalog' } as const

/** Where the client is written, relative to the app. */
export const OFFLOAD_CLIENT_DIR = 'generated/offload'

/** Below the benchmark's 5 MB payloads, so that every call offloads (at most 1 MB). */
export const OFFLOAD_ABOVE = '256 KB'

const HANDLER = `export interface Price {
  amount: number
  currency: 'EUR' | 'USD' | 'GBP'
}

export interface CatalogRow {
  sku: string
  name: string
  description: string
  price: Price
  tags: string[]
  stock: number
  active: boolean
}

/** A catalog import: a few MB of rows, too large for an invoke, so it travels through S3. */
export interface CatalogImport {
  importId: string
  source: 'upload' | 'sync'
  rows: CatalogRow[]
}

export default async function importCatalog(payload: CatalogImport): Promise<void> {
  console.log(payload.importId, payload.rows.length)
}
`

export interface OffloadApp {
  dir: string
  configFile: string
  /** The generated client package's folder. */
  clientDir: string
}

export function writeOffloadApp(dir: string): OffloadApp {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'src'), { recursive: true })
  const config = {
    app: OFFLOAD_APP.app,
    region: OFFLOAD_APP.region,
    payloads: { offloadAbove: OFFLOAD_ABOVE },
    client: { name: '@bench/offload', outDir: `./${OFFLOAD_CLIENT_DIR}` },
    stacks: { [OFFLOAD_APP.stack]: { tasks: { [OFFLOAD_APP.task]: './src/import-catalog.ts' } } },
  }
  writeFileSync(join(dir, 'task-gen.json'), `${JSON.stringify(config, null, 2)}\n`)
  writeFileSync(join(dir, 'src/import-catalog.ts'), HANDLER)
  return { dir, configFile: join(dir, 'task-gen.json'), clientDir: join(dir, OFFLOAD_CLIENT_DIR) }
}

const CURRENCIES = ['EUR', 'USD', 'GBP'] as const
const WORDS = ['steel', 'oak', 'linen', 'blue', 'compact', 'outdoor', 'kitchen', 'garden', 'travel', 'classic', 'large', 'soft']

function row(seed: number, i: number) {
  const word = (k: number) => WORDS[(i * 7 + seed * 3 + k) % WORDS.length]!
  return {
    sku: `sku-${seed}-${String(i).padStart(7, '0')}`,
    name: `${word(0)} ${word(1)} ${word(2)} no. ${i}`,
    description: `A ${word(3)} ${word(4)} item for the ${word(5)}, batch ${seed}. `.repeat(2),
    price: { amount: 100 + ((i * 37 + seed) % 99_900), currency: CURRENCIES[(i + seed) % CURRENCIES.length]! },
    tags: [word(6), word(7), `batch-${seed}`],
    stock: (i * 13 + seed) % 1000,
    active: (i + seed) % 5 !== 0,
  }
}

/** A valid CatalogImport whose JSON text is `bytes` long or a little over (one row): different for each `seed`. */
export function catalogPayload(seed: number, bytes: number): { importId: string; source: 'upload'; rows: ReturnType<typeof row>[] } {
  const payload = { importId: `import-${seed}`, source: 'upload' as const, rows: [] as ReturnType<typeof row>[] }
  let size = JSON.stringify(payload).length
  for (let i = 0; size < bytes; i++) {
    const next = row(seed, i)
    size += JSON.stringify(next).length + (i > 0 ? 1 : 0)
    payload.rows.push(next)
  }
  return payload
}
