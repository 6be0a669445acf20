import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildClient, loadAndExtract } from '../../generator/generate.js'
import { extractionCacheDir } from '../../generator/extract/extraction-cache.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

// Two apps in one folder, each with its own config: `a` reads src/a-types.ts, `b` reads
// src/b-types.ts, both read src/common.ts. Each config has its own entry.
function writeProject(): string {
  const dir = tempDir('extraction-cache')
  const config = (app: string) => JSON.stringify({ app, region: 'us-east-1', stacks: { jobs: { tasks: { run: `./src/${app}.ts` } } } })
  const files: Record<string, string> = {
    'a.json': config('a'),
    'b.json': config('b'),
    'src/common.ts': 'export interface Money { amount: number; currency: string }\n',
    'src/a-types.ts': "import type { Money } from './common.ts'\nexport interface Order { id: string; total: Money }\n",
    'src/b-types.ts': "import type { Money } from './common.ts'\nexport interface Refund { id: string; amount: Money }\n",
    'src/a.ts': "import type { Order } from './a-types.ts'\nexport default async function run(order: Order) {}\n",
    'src/b.ts': "import type { Refund } from './b-types.ts'\nexport default async function run(refund: Refund) {}\n",
  }
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path)
    mkdirSync(join(file, '..'), { recursive: true })
    writeFileSync(file, text)
  }
  return dir
}

const extract = (dir: string, app: 'a' | 'b') => loadAndExtract({ configFile: join(dir, `${app}.json`) })
const entries = (dir: string) => readdirSync(extractionCacheDir(dir))

describe('the extraction cache (.task-gen/cache)', () => {
  it('a second run hits, and gives the extraction the first one read', async () => {
    const dir = writeProject()
    const first = await extract(dir, 'a')
    expect(first.cache).toEqual({ hit: false, reason: 'no entry' })
    const second = await extract(dir, 'a')
    expect(second.cache?.hit).toBe(true)
    expect(second.project).toBeUndefined()
    expect(second.extraction).toEqual(first.extraction)
    expect(second.extraction.tasks[0]!.model).toBe(second.model.stacks[0]!.tasks[0]) // joined with this run's model
    expect(entries(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]) // written by rename: no temporary file left
  })

  it('editing one type in one imported file misses exactly the entry that read it, and names the file', async () => {
    const dir = writeProject()
    await extract(dir, 'a')
    await extract(dir, 'b')
    writeFileSync(join(dir, 'src/a-types.ts'), "import type { Money } from './common.ts'\nexport interface Order { id: number; total: Money }\n")
    const a = await extract(dir, 'a')
    expect(a.cache).toEqual({ hit: false, reason: `changed: ${join(dir, 'src/a-types.ts')}` })
    expect(a.extraction.manifest).not.toEqual((await extract(dir, 'b')).extraction.manifest)
    expect(JSON.stringify(a.extraction.declarations)).toContain('id: number')
    expect((await extract(dir, 'b')).cache?.hit).toBe(true)
    expect((await extract(dir, 'a')).cache?.hit).toBe(true) // the miss stored the new extraction
  })

  it('a file both read misses both', async () => {
    const dir = writeProject()
    await extract(dir, 'a')
    await extract(dir, 'b')
    writeFileSync(join(dir, 'src/common.ts'), 'export interface Money { amount: number | string; currency: string }\n')
    for (const app of ['a', 'b'] as const) expect((await extract(dir, app)).cache).toEqual({ hit: false, reason: `changed: ${join(dir, 'src/common.ts')}` })
  })

  it('a corrupt entry (cut short, or edited by hand) is ignored, and replaced', async () => {
    const dir = writeProject()
    const first = await extract(dir, 'a')
    const [name] = entries(dir)
    const file = join(extractionCacheDir(dir), name!)
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.slice(0, text.length / 2))
    const cut = await extract(dir, 'a')
    expect(cut.cache).toEqual({ hit: false, reason: 'corrupt entry' })
    expect(cut.extraction).toEqual(first.extraction)
    writeFileSync(file, readFileSync(file, 'utf8').replace('id: string', 'id: boolean'))
    expect(readFileSync(file, 'utf8')).toContain('id: boolean')
    expect((await extract(dir, 'a')).cache).toEqual({ hit: false, reason: 'corrupt entry' })
    expect((await extract(dir, 'a')).cache?.hit).toBe(true)
  })

  it('a stale entry (another task-gen, or another config) is ignored', async () => {
    const dir = writeProject()
    await extract(dir, 'a')
    const configFile = join(dir, 'a.json')
    const config = JSON.parse(readFileSync(configFile, 'utf8'))
    writeFileSync(configFile, JSON.stringify({ ...config, app: 'a2' }))
    const changed = await extract(dir, 'a')
    expect(changed.cache).toEqual({ hit: false, reason: 'stale entry (task-gen or the config changed)' })
    expect(entries(dir)).toHaveLength(1) // the entry of a config and stage is replaced, not added to
  })

  it('generate from a hit writes the same client as from a miss', async () => {
    const dir = writeProject()
    const options = { configFile: join(dir, 'a.json'), out: join(dir, 'client') }
    const missed = await buildClient(options)
    const hit = await buildClient(options)
    expect(hit.files).toEqual(missed.files)
  })
})
