import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { extractTypes, type Extraction } from '../../generator/extract/extract.js'
import { inMemoryHandlerProject } from '../../generator/extract/project.js'
import { CLIENT_API_NAMES } from '../../generator/emit/client-files.js'
import { loadAndExtract } from '../../generator/generate.js'
import type { Schema, SchemaDefs } from '../../runtime/schema.js'
import { checkPasses, MAX_PAYLOAD_DEPTH, walkIssues } from '../../runtime/validate.js'
import { loadInMemory, minimalConfig } from '../helpers/project.js'
import { REPO_ROOT } from '../helpers/run-cli.js'

/** One payload schema of a corpus, with the samples its corpus gives (the handler corpus has valid and invalid ones). */
interface CorpusSchema {
  name: string
  schema: Schema
  defs: SchemaDefs
  samples: unknown[]
}

const HANDLERS = join(REPO_ROOT, 'test/fixtures/handlers')
/** Every project of the repository with a config: their payload types, without samples of their own. */
const PROJECTS = [
  'examples/shop/task-gen.json',
  'test/fixtures/dev-app/task-gen.json',
  'test/fixtures/dev-fidelity-app/task-gen.json',
  'test/fixtures/dev-payloads-app/task-gen.json',
]

const camel = (dir: string) => dir.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]))
}

/** The handler corpus (test/fixtures/handlers, as test/extract/corpus.test.ts reads it), extracted in memory: one task per case. */
function handlerCorpus(): CorpusSchema[] {
  const cases = readdirSync(HANDLERS)
    .sort()
    .map((dir) => ({
      dir,
      ...(JSON.parse(readFileSync(join(HANDLERS, dir, 'case.json'), 'utf8')) as { handler?: string; valid: unknown[]; invalid: unknown[] }),
    }))
  const tasks = Object.fromEntries(
    cases.map((c) => [camel(c.dir), c.handler ? { consumer: { code: `./src/${c.dir}/handler.ts`, handler: c.handler } } : `./src/${c.dir}/handler.ts`]),
  )
  const model = loadInMemory(minimalConfig({ stacks: { fx: { tasks } } }))
  const sources = filesUnder(HANDLERS).filter((file) => file.endsWith('.ts'))
  const project = inMemoryHandlerProject(Object.fromEntries(sources.map((file) => [`/project/src/${relative(HANDLERS, file)}`, readFileSync(file, 'utf8')])))
  const extraction = extractTypes(model, project, CLIENT_API_NAMES)
  return cases.map((c) => {
    const task = extraction.tasks.find((t) => t.task === camel(c.dir))!
    return { name: `handlers/${c.dir}`, schema: task.schema, defs: extraction.defs, samples: [...c.valid, ...c.invalid, undefined] }
  })
}

async function projectCorpus(configFile: string): Promise<CorpusSchema[]> {
  const { extraction }: { extraction: Extraction } = await loadAndExtract({ configFile: join(REPO_ROOT, configFile) })
  return extraction.tasks.map((t) => ({ name: `${configFile}: ${t.stack}.${t.task}`, schema: t.schema, defs: extraction.defs, samples: [] }))
}

/**
 * A value built from the schema, meant to match it (every property, one item per array, the first
 * option of each union), but leaves deeper than a few levels take an option without containers so
 * that recursive types end. Whether it matches is not assumed: the test only compares the validators.
 */
function sampleOf(schema: Schema, defs: SchemaDefs, depth = 0): unknown {
  const deep = depth > 4
  switch (schema.type) {
    case 'ref':
      return sampleOf(defs[schema.name]!, defs, depth + 1)
    case 'unknown':
      return { anything: true }
    case 'never':
    case 'undefined':
      return undefined
    case 'string':
      return 'text'
    case 'number':
      return 1
    case 'boolean':
      return true
    case 'null':
      return null
    case 'literal':
      return schema.value
    case 'array':
      return deep ? [] : [sampleOf(schema.items, defs, depth + 1)]
    case 'tuple':
      return schema.items.slice(0, deep ? schema.required : undefined).map((item) => sampleOf(item, defs, depth + 1))
    case 'object': {
      const entries = Object.entries(schema.properties).filter(([, p]) => !(deep && p.optional))
      return Object.fromEntries(entries.map(([key, p]) => [key, sampleOf(p.schema, defs, depth + 1)]))
    }
    case 'union': {
      const leafy = schema.anyOf.find((option) => !['object', 'array', 'tuple', 'ref', 'union'].includes(option.type))
      return sampleOf(deep && leafy ? leafy : schema.anyOf[0]!, defs, depth + 1)
    }
  }
}

/** What "change a type" puts in a value's place: one of each kind, with the numbers JSON has no form for, and empty and filled containers. */
const REPLACEMENTS: unknown[] = ['text', '', 42, -1.5, NaN, Infinity, true, false, null, undefined, [], ['item'], {}, { key: 'value' }]

/** Every container of `value` with a way back to rebuild the whole around a changed copy of it. */
function containers(value: unknown, rebuild: (part: unknown) => unknown = (part) => part, out: { node: object; rebuild: (part: unknown) => unknown }[] = []) {
  if (typeof value !== 'object' || value === null) return out
  out.push({ node: value, rebuild })
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value)
  for (const [key, child] of entries) {
    containers(child, (part) => rebuild(Array.isArray(value) ? value.map((item, i) => (i === key ? part : item)) : { ...value, [key]: part }), out)
  }
  return out
}

/** Mutations of a sample: at the top and in each container, drop a key or item, change a part's kind, add a key or item. */
function mutationsOf(sample: unknown): unknown[] {
  const mutants: unknown[] = [...REPLACEMENTS]
  for (const { node, rebuild } of containers(sample).slice(0, 20)) {
    if (Array.isArray(node)) {
      if (node.length > 0) mutants.push(rebuild(node.slice(1)), ...REPLACEMENTS.map((other) => rebuild([other, ...node.slice(1)])))
      mutants.push(rebuild([...node, 'extra item']), rebuild([...node, ...node]))
      continue
    }
    const record = node as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const rest = Object.fromEntries(Object.entries(record).filter(([other]) => other !== key))
      mutants.push(rebuild(rest), ...REPLACEMENTS.map((other) => rebuild({ ...record, [key]: other })))
    }
    mutants.push(rebuild({ ...record, addedKey: 'extra' }), rebuild({ ...record, addedKey: { nested: [1] } }))
  }
  return mutants
}

/** Values that no payload type accepts, not even `unknown`: a cycle, and nesting past the limit. */
function unsendable(): unknown[] {
  const cycle: Record<string, unknown> = { name: 'loop' }
  cycle.self = cycle
  let deep: unknown = 'bottom'
  for (let i = 0; i <= MAX_PAYLOAD_DEPTH; i++) deep = [deep]
  return [cycle, [cycle], deep]
}

function label(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? 'undefined').slice(0, 300)
  } catch {
    return 'a value with a cycle'
  }
}

const corpora = [...handlerCorpus(), ...(await Promise.all(PROJECTS.map(projectCorpus))).flat()]

describe('the compiled check and the detailed walk', () => {
  it('read every corpus: the handler cases and every project config in the repository', () => {
    expect(corpora.filter((c) => c.name.startsWith('handlers/')).length).toBe(readdirSync(HANDLERS).length)
    expect(execFileSync('git', ['ls-files', '*task-gen.json'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').sort()).toEqual([...PROJECTS].sort())
    for (const config of PROJECTS)
      expect(
        corpora.some((c) => c.name.startsWith(config)),
        config,
      ).toBe(true)
  })

  it.each(corpora.map((c) => [c.name, c] as const))('%s: the check accepts exactly what the walk finds no issue in', (_name, c) => {
    const samples = [...c.samples, sampleOf(c.schema, c.defs)]
    const values = [...samples, ...samples.flatMap(mutationsOf), ...unsendable()]
    const outcomes = { accepted: 0, refused: 0 }
    for (const value of values) {
      const accepted = checkPasses(c.schema, c.defs, value)
      expect(walkIssues(c.schema, c.defs, value).issues, label(value)).toEqual(accepted ? [] : expect.arrayContaining([expect.anything()]))
      outcomes[accepted ? 'accepted' : 'refused']++
    }
    // A test with one outcome only would not show that the two agree on the other (`unknown` refuses nothing, by design).
    if (c.schema.type !== 'unknown') expect(outcomes.refused, 'no value was refused').toBeGreaterThan(0)
    expect(outcomes.accepted, 'no value was accepted').toBeGreaterThan(0)
  })
})
