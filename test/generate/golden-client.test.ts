import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildClient } from '../../generator/generate.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { runTsc } from '../helpers/tsc.js'

/**
 * The shop example's client package, committed: every change to emitted code shows in review as a
 * diff of these files. After a deliberate change, `npx vitest run test/generate/golden-client.test.ts -u`
 * rewrites them (the files are the package by its own paths; on disk the content files sit in the
 * version folder package.json names).
 */
const GOLDEN = join(REPO_ROOT, 'test/golden/shop-client')
const OWN_FILES = new Set(['tsconfig.json', 'check-consumer.ts'])

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((path) => !OWN_FILES.has(path))
    .sort()
}

describe("the golden client: the shop example's package, committed and type-checked", () => {
  let files: Map<string, string>

  beforeAll(async () => {
    const shop = copyShop('golden')
    files = (await buildClient({ configFile: join(shop, 'task-gen.json') })).files
  }, 60_000)

  it('each file of the package is the committed one', async () => {
    for (const [path, text] of files) await expect(text, path).toMatchFileSnapshot(join(GOLDEN, path))
  })

  it("holds exactly the package's files (a file the package stopped writing is gone from it too)", () => {
    expect(listFiles(GOLDEN)).toEqual([...files.keys()].sort())
  })

  it('type-checks under its own strict tsconfig, with an application using it', () => {
    expect(runTsc(join(GOLDEN, 'tsconfig.json'))).toEqual({ code: 0, output: '' })
  }, 60_000)
})
