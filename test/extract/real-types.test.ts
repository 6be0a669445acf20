import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildClient, writeClient, type GeneratedClient } from '../../generator/generate.js'
import { installRealTypes, REAL_TYPES_DIR } from '../helpers/real-types.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { runTsc } from '../helpers/tsc.js'

/** A handler whose payload type comes from a real type package, with samples its validator must accept and mutations it must refuse at `path`. */
interface Case {
  dir: string
  task: string
  valid: unknown[]
  invalid: { value: unknown; path: string }[]
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const CASES = join(REAL_TYPES_DIR, 'cases')
const camel = (dir: string) => dir.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

function readCases(): Case[] {
  return readdirSync(CASES)
    .sort()
    .map((dir) => ({ dir, task: camel(dir), ...(JSON.parse(readFileSync(join(CASES, dir, 'case.json'), 'utf8')) as Omit<Case, 'dir' | 'task'>) }))
}

/** An app whose one stack has a task per case, its handlers importing the installed packages. */
function writeProject(root: string, cases: readonly Case[], nodeModules: string): string {
  mkdirSync(root, { recursive: true })
  symlinkSync(nodeModules, join(root, 'node_modules'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'real-types-app', private: true, type: 'module' }))
  const tasks: Record<string, string> = {}
  for (const c of cases) {
    cpSync(join(CASES, c.dir), join(root, 'src', c.dir), { recursive: true })
    tasks[c.task] = `./src/${c.dir}/handler.ts`
  }
  const config = join(root, 'task-gen.json')
  writeFileSync(config, JSON.stringify({ app: 'rt', region: 'us-east-1', client: { name: 'real-types-client' }, stacks: { rt: { tasks } } }, null, 2))
  return config
}

/** For every case: the client's payload type and the handler's own parameter type are assignable both ways. */
function assignabilitySource(cases: readonly Case[]): string {
  const lines = ["import { Task } from 'real-types-client'", '']
  for (const c of cases) {
    lines.push(`type Generated_${c.task} = Parameters<typeof Task.rt.${c.task}>[0]`)
    lines.push(`type Original_${c.task} = Parameters<typeof import('../project/src/${c.dir}/handler.ts').default>[0]`)
    lines.push(`export const ${c.task}_toOriginal = (p: Generated_${c.task}): Original_${c.task} => p`)
    lines.push(`export const ${c.task}_toGenerated = (p: Original_${c.task}): Generated_${c.task} => p`)
  }
  return lines.join('\n')
}

/** A strict consumer of the client alone: its declarations are checked (no skipLibCheck). */
const CLIENT_TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: [], noEmit: true },
  files: ['uses-client.ts'],
})

/**
 * A strict consumer that also reads the handlers, to compare their types with the client's: the
 * libraries' own typings need the DOM library and skipLibCheck (drizzle's declare drivers it
 * does not install), which would skip the client too, hence the check above.
 */
const ASSIGNABILITY_TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2023', 'dom'],
    types: [],
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
  },
  files: ['assignability.ts'],
})

afterAll(removeTempDirs)

describe('payload types from real type packages', () => {
  const cases = readCases()
  let client: GeneratedClient
  let consumer: string
  let validatePayload: (stack: string, task: string, payload: unknown) => { path: string; message: string }[]

  beforeAll(async () => {
    const nodeModules = installRealTypes()
    const root = tempDir('real-types')
    const config = writeProject(join(root, 'project'), cases, nodeModules)
    consumer = join(root, 'consumer')
    client = await buildClient({ configFile: config, out: join(consumer, 'node_modules', 'real-types-client') })
    await writeClient(client)
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    writeFileSync(join(consumer, 'tsconfig.json'), CLIENT_TSCONFIG)
    writeFileSync(join(consumer, 'uses-client.ts'), "import { Task } from 'real-types-client'\nexport const tasks = Object.keys(Task.rt)\n")
    writeFileSync(join(consumer, 'tsconfig.assignability.json'), ASSIGNABILITY_TSCONFIG)
    writeFileSync(join(consumer, 'assignability.ts'), assignabilitySource(cases))
    // The client's one dependency, as an installed application would have it.
    mkdirSync(join(root, 'node_modules'), { recursive: true })
    symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(root, 'node_modules', '@aws-sdk'))
    ;({ validatePayload } = await import(pathToFileURL(join(client.outDir, 'index.js')).href))
  }, 180_000)

  it('generates a client that declares every type a payload names', () => {
    expect(client.extraction.tasks.map((t) => t.task).sort()).toEqual(cases.map((c) => c.task).sort())
    const declared = client.extraction.declarations.map((d) => /^export (?:type|interface) (\w+)/m.exec(d)?.[1])
    for (const { task, payloadType } of client.extraction.tasks) if (/^\w+$/.test(payloadType)) expect(declared, task).toContain(payloadType)
  })

  it('compiles under tsc --strict', () => {
    expect(runTsc(consumer)).toEqual({ code: 0, output: '' })
  }, 120_000)

  it('gives each task a payload type assignable both ways with the handler’s own', () => {
    expect(runTsc(join(consumer, 'tsconfig.assignability.json'))).toEqual({ code: 0, output: '' })
  }, 120_000)

  it('gives the same payload for a typeof written in the parameter as through an alias', () => {
    const task = (name: string) => client.extraction.tasks.find((t) => t.task === name)!
    const [inline, alias] = [task('drizzleInline'), task('drizzleAlias')]
    expect(inline.schema).toEqual(client.extraction.defs[alias.payloadType] ?? alias.schema)
    expect(client.extraction.declarations.find((d) => d.includes(`export type ${alias.payloadType} =`))).toMatch(
      new RegExp(` = ${escapeRegExp(inline.payloadType)}$`),
    )
    expect(inline.payloadType).toBe('{ name: string; id?: number; age?: number | null; active?: boolean }')
  })

  it.each(readCases().map((c) => [c.dir, c] as const))('%s: the validator accepts the samples and refuses each mutation at its path', (_dir, c) => {
    for (const sample of c.valid) expect(validatePayload('rt', c.task, sample), JSON.stringify(sample)).toEqual([])
    for (const { value, path } of c.invalid)
      expect(
        validatePayload('rt', c.task, value).map((issue) => issue.path),
        JSON.stringify(value),
      ).toContain(path)
  })
})
