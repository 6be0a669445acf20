import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { copyShop } from '../helpers/shop.js'
import { payloadsShop } from '../helpers/payloads-shop.js'
import { removeTempDirs } from '../helpers/temp.js'
import { REPO_ROOT, runBinAsync } from '../helpers/run-cli.js'

afterAll(removeTempDirs)

/**
 * Synth's output, byte for byte, against golden files taken before synth's speed work (issue 19):
 * every stack's cdk.tf.json as text (a change shows as a diff), and a SHA-256 of every file,
 * assets and manifest included. Cold (no extraction cache) and from the cache that `generate`
 * filled must both give exactly these bytes. `npx vitest run test/synth/synth-golden.test.ts -u`
 * rewrites the golden files after a change meant to alter the output.
 */
const GOLDEN = join(REPO_ROOT, 'test/golden/synth')

const APPS = [
  { name: 'shop', copy: () => copyShop('golden-shop') },
  { name: 'payloads-shop', copy: () => payloadsShop('golden-payloads-shop') },
]

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort()
}

function hashes(dir: string): string {
  return filesBelow(dir)
    .map(
      (path) =>
        `${createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex')}  ${path}`,
    )
    .join('\n')
    .concat('\n')
}

async function synth(project: string): Promise<string> {
  const result = await runBinAsync(['synth', '--output', 'cdktf.out'], { cwd: project })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return join(project, 'cdktf.out')
}

async function expectGolden(name: string, out: string): Promise<void> {
  await expect(hashes(out)).toMatchFileSnapshot(join(GOLDEN, name, 'files.sha256'))
  for (const path of filesBelow(out).filter((file) => file.endsWith('cdk.tf.json')))
    await expect(readFileSync(join(out, path), 'utf8')).toMatchFileSnapshot(join(GOLDEN, name, path))
}

describe('synth output is byte-identical to the golden files', () => {
  for (const app of APPS) {
    it(`${app.name}: cold, with no extraction cache`, async () => {
      const project = app.copy()
      expect(existsSync(join(project, '.task-gen/cache'))).toBe(false)
      await expectGolden(app.name, await synth(project))
    })

    it(`${app.name}: after generate, from the extraction cache`, async () => {
      const project = app.copy()
      const generated = await runBinAsync(['generate'], { cwd: project })
      expect(generated.code, generated.stderr).toBe(0)
      const cacheEntries = filesBelow(join(project, '.task-gen/cache'))
      expect(cacheEntries.length).toBeGreaterThan(0)
      await expectGolden(app.name, await synth(project))
      // The hit left the cache as it was: synth read it, and wrote no entry of its own.
      expect(filesBelow(join(project, '.task-gen/cache'))).toEqual(cacheEntries)
      expect(relative(project, join(project, 'cdktf.out'))).toBe('cdktf.out')
    })
  }
})
