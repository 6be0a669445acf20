import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/run-cli.js'

/**
 * The layers of task-gen, from its pipeline: config → model → extract → bundle → synth → emit,
 * run by the pipeline (generate), used by the features (failures, deploy, dev), all driven by the
 * CLI and the library's entry. errors, fs, process and text (the escapes every writer of generated
 * code uses) are neutral: every layer may use them, they
 * use nothing above them. runtime/ ships inside generated code and Lambda bundles: it imports
 * nothing of generator/, and every layer of generator/ may use it.
 *
 * A module's layer is its longest matching path prefix here.
 */
const LAYER_OF: Record<string, Layer> = {
  'runtime/': 'runtime',
  'generator/errors/': 'neutral',
  'generator/fs/': 'neutral',
  'generator/process/': 'neutral',
  'generator/text/': 'neutral',
  // Where a running dev keeps its state: read by failures (--local) and by generate (a path it never writes over).
  'generator/dev/state.ts': 'neutral',
  'generator/package-info.ts': 'neutral',
  'generator/config/': 'config',
  'generator/model/': 'model',
  'generator/extract/': 'extract',
  'generator/bundle/': 'bundle',
  'generator/synth/': 'synth',
  'generator/emit/': 'emit',
  'generator/generate.ts': 'pipeline',
  'generator/generate-session.ts': 'pipeline',
  'generator/failures/': 'failures',
  'generator/deploy/': 'deploy',
  'generator/dev/': 'dev',
  'generator/cli/': 'cli',
  'generator/index.ts': 'entry',
}

type Layer = 'runtime' | 'neutral' | 'config' | 'model' | 'extract' | 'bundle' | 'synth' | 'emit' | 'pipeline' | 'failures' | 'deploy' | 'dev' | 'cli' | 'entry'

const BELOW_STAGES = ['config', 'neutral', 'runtime'] as const

/** The one table of allowed edges: what each layer may import besides itself. Stages import only downward. */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  runtime: [],
  neutral: ['runtime'],
  // The config reads the client's own definitions (duration syntax, payload limits): runtime/ is below every layer.
  config: ['neutral', 'runtime'],
  model: [...BELOW_STAGES],
  extract: ['model', ...BELOW_STAGES],
  bundle: ['extract', 'model', ...BELOW_STAGES],
  synth: ['bundle', 'extract', 'model', ...BELOW_STAGES],
  emit: ['synth', 'bundle', 'extract', 'model', ...BELOW_STAGES],
  pipeline: ['emit', 'synth', 'bundle', 'extract', 'model', ...BELOW_STAGES],
  failures: ['pipeline', 'emit', 'synth', 'bundle', 'extract', 'model', ...BELOW_STAGES],
  deploy: ['pipeline', 'emit', 'synth', 'bundle', 'extract', 'model', ...BELOW_STAGES],
  dev: ['failures', 'pipeline', 'emit', 'synth', 'bundle', 'extract', 'model', ...BELOW_STAGES],
  cli: ['dev', 'deploy', 'failures', 'pipeline', 'emit', 'synth', 'bundle', 'extract', 'model', ...BELOW_STAGES],
  entry: ['cli', 'dev', 'deploy', 'failures', 'pipeline', 'emit', 'synth', 'bundle', 'extract', 'model', ...BELOW_STAGES],
}

/**
 * Back edges the repository still has, as `importer -> imported`, each with why it is left: none
 * now. The test fails on any edge not listed here, and on a listed one that is gone, so that this
 * list only shrinks.
 */
const KNOWN_BACK_EDGES = new Set<string>([])

/** Module → the modules it imports, as repository paths. */
type ImportGraph = Record<string, readonly string[]>

function layerOf(path: string): Layer | undefined {
  const prefix = Object.keys(LAYER_OF)
    .filter((p) => path === p || (p.endsWith('/') && path.startsWith(p)))
    .sort((a, b) => b.length - a.length)[0]
  return prefix === undefined ? undefined : LAYER_OF[prefix]
}

/** Every import of the graph that goes against the layers, as `importer -> imported (layer -> layer)`. */
function violations(graph: ImportGraph): string[] {
  const found: string[] = []
  for (const [from, targets] of Object.entries(graph)) {
    const fromLayer = layerOf(from)
    for (const to of targets) {
      const toLayer = layerOf(to)
      if (fromLayer === undefined || toLayer === undefined || fromLayer === toLayer) continue
      if (!MAY_IMPORT[fromLayer].includes(toLayer)) found.push(`${from} -> ${to}`)
    }
  }
  return found
}

/** The repository's own import graph: every relative import, static, re-export or dynamic, of generator/ and runtime/. */
function repositoryGraph(): ImportGraph {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'generator', 'runtime'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('.ts'))
  return Object.fromEntries(
    files.map((file) => {
      const imports = ts.preProcessFile(readFileSync(join(REPO_ROOT, file), 'utf8'), true, true).importedFiles.map((i) => i.fileName)
      return [file, imports.filter((spec) => spec.startsWith('.')).map((spec) => posix.join(dirname(file), spec).replace(/\.js$/, '.ts'))]
    }),
  )
}

describe('the layers', () => {
  it('catch a deliberate back edge: runtime importing generator, a stage importing a later one, a neutral module importing a stage', () => {
    const graph: ImportGraph = {
      'runtime/client/invoke.ts': ['runtime/names.ts', 'generator/cli/io.ts'],
      'generator/model/build-model.ts': ['generator/config/schema.ts', 'generator/emit/client-files.ts'],
      'generator/errors/problem.ts': ['generator/config/units.ts'],
      'generator/emit/client-files.ts': ['generator/extract/extract.ts', 'runtime/client/manifest.ts', 'generator/errors/problem.ts'],
      'generator/cli/main.ts': ['generator/dev/start-dev.ts', 'generator/generate.ts'],
    }
    expect(violations(graph)).toEqual([
      'runtime/client/invoke.ts -> generator/cli/io.ts',
      'generator/model/build-model.ts -> generator/emit/client-files.ts',
      'generator/errors/problem.ts -> generator/config/units.ts',
    ])
  })

  const graph = repositoryGraph()

  it('place every module of generator/ and runtime/', () => {
    expect(Object.keys(graph).filter((file) => layerOf(file) === undefined)).toEqual([])
    expect(Object.keys(graph).length).toBeGreaterThan(100)
  })

  it('hold in the repository: no import goes against them but the known back edges, and each of those is still there', () => {
    const found = violations(graph)
    expect(found.filter((edge) => !KNOWN_BACK_EDGES.has(edge))).toEqual([])
    expect([...KNOWN_BACK_EDGES].filter((edge) => !found.includes(edge))).toEqual([])
  })
})
