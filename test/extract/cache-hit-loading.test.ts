import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, runAsync } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** A preload that prints, as the process exits, every CommonJS module of TypeScript it loaded (ts-morph's bundled one included). */
function typescriptReporter(): string {
  const file = join(tempDir('ts-loaded'), 'report.cjs')
  writeFileSync(
    file,
    "process.on('exit', () => { const loaded = Object.keys(require.cache).filter((p) => /[\\\\/](@ts-morph|typescript)[\\\\/]/.test(p)); process.stderr.write('TS-LOADED ' + JSON.stringify(loaded) + '\\n') })\n",
  )
  return file
}

function loadedTypescript(stderr: string): string[] {
  const line = stderr.split('\n').find((l) => l.startsWith('TS-LOADED '))
  if (!line) throw new Error(`no report in stderr:\n${stderr}`)
  return JSON.parse(line.slice('TS-LOADED '.length)) as string[]
}

describe('a command the extraction cache answers does not load TypeScript', () => {
  it('generate, check and synth after a generate that filled the cache; the generate that filled it did load it', async () => {
    const project = copyShop('cache-hit-loading')
    const preload = typescriptReporter()
    const run = (args: string[]) => runAsync(process.execPath, ['--require', preload, BIN, ...args], { cwd: project })
    const first = await run(['generate'])
    expect(first.code, first.stderr).toBe(0)
    expect(loadedTypescript(first.stderr).length).toBeGreaterThan(0)
    for (const args of [['generate'], ['check'], ['synth', '--output', 'cdktf.out']]) {
      const hit = await run(args)
      expect(hit.code, hit.stderr).toBe(0)
      expect({ command: args[0], loaded: loadedTypescript(hit.stderr) }).toEqual({ command: args[0], loaded: [] })
    }
  })
})
