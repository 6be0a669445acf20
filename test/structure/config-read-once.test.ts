import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { BIN } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'

const COUNTER = fileURLToPath(new URL('./fixtures/count-config-reads.mjs', import.meta.url))

/** Runs the built CLI in `cwd` with the read counter preloaded; the count it printed, and the run's output. */
function readsOf(args: string[], cwd: string): { reads: number; output: string; code: number } {
  const result = spawnSync(process.execPath, ['--import', COUNTER, BIN, ...args], { cwd, encoding: 'utf8' })
  const match = /task-gen\.json reads: (\d+)/.exec(result.stderr)
  if (!match) throw new Error(`the counter printed nothing:\n${result.stdout}\n${result.stderr}`)
  return { reads: Number(match[1]), output: result.stdout + result.stderr, code: result.status ?? -1 }
}

// The config is loaded once per run and the model handed to every later stage (issue 16, item 3):
// a second read could see a different file than the first mid-run.
describe('each command reads task-gen.json once', () => {
  const shop = copyShop('read-once')
  for (const args of [['check'], ['generate'], ['synth', '--output', join(shop, 'cdktf.out')], ['failures', 'list', '--local']]) {
    it(`task-gen ${args.join(' ')}`, { timeout: 120_000 }, () => {
      const run = readsOf(args, shop)
      expect(run.code, run.output).toBe(0)
      expect(run.reads).toBe(1)
    })
  }

  it('the counter counts: a config read twice is seen as two reads', () => {
    const script = `import { readFileSync } from 'node:fs'; readFileSync('task-gen.json'); readFileSync('task-gen.json')`
    const result = spawnSync(process.execPath, ['--import', COUNTER, '--input-type=module', '-e', script], { cwd: shop, encoding: 'utf8' })
    expect(result.stderr).toContain('task-gen.json reads: 2')
  })
})
