// The wiring of the bench's Node 22 part (bench/lib/node22.ts, the Node 22 contenders of the generate
// and synth benchmarks, the report's runtimes table). Nothing is downloaded and nothing is timed:
// the "install" is a stand-in that writes a script answering `--version`, and no contender runs.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeSyntheticApp } from '../../bench/app/synthetic-app.js'
import { generateContenders } from '../../bench/benchmarks/generate.js'
import { synthContenders } from '../../bench/benchmarks/synth.js'
import { node22Binary, node22BinaryPath, node22FailureBanner, prepareNode22, type Node22 } from '../../bench/lib/node22.js'
import { runtimesTable } from '../../bench/lib/report.js'
import { emptyResults, mergeResults } from '../../bench/lib/results.js'
import { summarize } from '../../bench/lib/stats.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** A stand-in for the `node` package's binary: a script that prints `version` for `--version`. */
function fakeNode(dir: string, version: string): string {
  const binary = node22BinaryPath(dir)
  mkdirSync(dirname(binary), { recursive: true })
  writeFileSync(binary, `#!/bin/sh\necho ${version}\n`)
  chmodSync(binary, 0o755)
  return binary
}

const fakeNode22: Node22 = { binary: '/opt/node22/bin/node', version: 'v22.0.0', env: {}, envWithoutCompileCache: {} }

describe.skipIf(process.platform === 'win32')("the bench's Node 22", () => {
  it('the resolver: no binary in an empty folder, the binary under node_modules/node/bin once the node package put one there', () => {
    const dir = tempDir('bench-node22')
    expect(node22Binary(dir)).toBeUndefined()
    const binary = fakeNode(dir, 'v22.1.0')
    expect(node22Binary(dir)).toBe(join(dir, 'node_modules', 'node', 'bin', 'node'))
    expect(node22Binary(dir)).toBe(binary)
  })

  it('prepareNode22: uses a Node 22 already there without installing, and empties its own compile-cache folder', () => {
    const dir = tempDir('bench-node22')
    const cache = join(tempDir('bench-node22-cache'), 'cache')
    mkdirSync(join(cache, 'leftover'), { recursive: true })
    const binary = fakeNode(dir, 'v22.23.3')
    const node22 = prepareNode22(
      dir,
      cache,
      () => {},
      () => expect.unreachable('installed though Node 22 was there'),
    )
    expect(node22).toMatchObject({ binary, version: 'v22.23.3', env: { NODE_COMPILE_CACHE: cache } })
    expect(node22.envWithoutCompileCache).toMatchObject({ NODE_DISABLE_COMPILE_CACHE: '1' })
    expect(existsSync(cache)).toBe(true)
    expect(existsSync(join(cache, 'leftover'))).toBe(false)
  })

  it('prepareNode22: installs when the binary is missing or not a Node 22, and fails loudly when there is still none', () => {
    const dir = tempDir('bench-node22')
    const cache = join(dir, 'cache')
    const installs: string[] = []
    expect(
      prepareNode22(
        dir,
        cache,
        () => {},
        (into) => (installs.push(into), fakeNode(into, 'v22.5.0')),
      ).version,
    ).toBe('v22.5.0')
    expect(installs).toEqual([dir])

    const wrong = tempDir('bench-node22')
    fakeNode(wrong, 'v20.20.2')
    expect(() =>
      prepareNode22(
        wrong,
        cache,
        () => {},
        () => {},
      ),
    ).toThrow(/is not a Node 22: .* printed v20\.20\.2/)

    const empty = tempDir('bench-node22')
    expect(() =>
      prepareNode22(
        empty,
        cache,
        () => {},
        () => {},
      ),
    ).toThrow(/no Node 22 binary at .*node_modules\/node\/bin\/node/)
    const failing = () => {
      throw new Error('npm install node@22 failed (exit 1)')
    }
    expect(() => prepareNode22(empty, cache, () => {}, failing)).toThrow(/npm install node@22 failed/)
    expect(node22FailureBanner(new Error('npm install node@22 failed'))).toMatch(/Node 22 part FAILED[\s\S]*exits 1[\s\S]*npm install node@22 failed/)
  })

  it('the generate and synth benchmarks add the Node 22 contenders beside Node 20 in one alternation, only when given a Node 22', () => {
    const app = writeSyntheticApp({ dir: join(tempDir('bench-node22-app'), 'app'), tasks: 3 })
    expect(generateContenders(app).map((c) => c.name)).toEqual(['generate.cold.N3', 'generate.cached.N3', 'tsc6.noEmit.N3', 'tsgo7.noEmit.N3'])
    expect(generateContenders(app, fakeNode22).map((c) => [c.name, c.warmUp ?? false])).toEqual([
      ['generate.cold.N3', false],
      ['generate.cached.N3', false],
      ['tsc6.noEmit.N3', false],
      ['tsgo7.noEmit.N3', false],
      ['generate.cold.node22.N3', true],
      ['generate.cached.node22.N3', true],
      ['tsc6.noEmit.node22.N3', true],
      ['generate.cold.node22.noCompileCache.N3', false],
    ])
    expect(synthContenders(app).map((c) => c.name)).toEqual(['synth.N3', 'synth.cached.N3', 'esbuild.N3'])
    expect(synthContenders(app, fakeNode22).map((c) => c.name)).toEqual([
      'synth.N3',
      'synth.cached.N3',
      'esbuild.N3',
      'synth.node22.N3',
      'synth.cached.node22.N3',
      'esbuild.node22.N3',
    ])
  })

  it("the report's runtimes table: Node 20 and 22 rows with both ratios at each N Node 22 ran at, nothing without Node 22", () => {
    const results = emptyResults()
    const ms = (median: number) => summarize([median], 'ms')
    Object.assign(results.measurements, {
      'generate.cold.N200': ms(1800),
      'tsc6.noEmit.N200': ms(1200),
      'synth.N200': ms(2800),
      'esbuild.N200': ms(200),
    })
    expect(runtimesTable(results, [200])).toBe('')
    Object.assign(results.measurements, {
      'generate.cold.node22.N200': ms(1500),
      'tsc6.noEmit.node22.N200': ms(1000),
      'synth.node22.N200': ms(2400),
      'esbuild.node22.N200': ms(240),
    })
    const lines = runtimesTable(results, [10, 200]).split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[2]).toMatch(/^\| 200 \| Node 20 \| 1800 .*\| 1\.500× \|.*\| 14\.000× \|$/)
    expect(lines[3]).toMatch(/^\| 200 \| Node 22 \| 1500 .*\| 1\.500× \|.*\| 10\.000× \|$/)
  })
})

describe('merging an --only run into the saved results', () => {
  it('replaces ratios of the same name, places new ones after their kin, and drops a saved ratio whose figures were measured again under a new name', () => {
    const ms = (median: number) => summarize([median], 'ms')
    const ratio = (name: string, subject: string, baseline: string, value: number) => ({
      name,
      subject,
      baseline,
      value,
      direction: '<=' as const,
      limit: 1,
      met: false,
    })
    const saved = emptyResults()
    saved.measurements = { a: ms(2), b: ms(1), c: ms(4), d: ms(1) }
    saved.ratios = [ratio('a / b', 'a', 'b', 2), ratio('old a / b', 'a', 'b', 2), ratio('c / d', 'c', 'd', 4)]
    const run = emptyResults()
    run.measurements = { a: ms(3), b: ms(1), a22: ms(2) }
    run.ratios = [ratio('a / b', 'a', 'b', 3), ratio('a22 / b', 'a22', 'b', 2)]
    const merged = mergeResults(saved, run, ['a / b', 'a22 / b', 'c / d'])
    expect(merged.ratios.map((r) => [r.name, r.value])).toEqual([
      ['a / b', 3],
      ['a22 / b', 2],
      ['c / d', 4],
    ])
    expect(merged.measurements.c).toEqual(ms(4))
  })
})
