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

/** A strict consumer; the DOM library because the schema libraries' own typings name `Blob` and `URL`. */
const CONSUMER_TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], types: [], noEmit: true, allowImportingTsExtensions: true },
  include: ['*.ts'],
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
    writeFileSync(join(consumer, 'tsconfig.json'), CONSUMER_TSCONFIG)
    writeFileSync(join(consumer, 'check.ts'), assignabilitySource(cases))
    // The client's one dependency, as an installed application would have it.
    mkdirSync(join(root, 'node_modules'), { recursive: true })
    symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(root, 'node_modules', '@aws-sdk'))
    ;({ validatePayload } = await import(pathToFileURL(join(client.outDir, 'index.js')).href))
  }, 180_000)

  it('generates a client that declares a type for every task', () => {
    expect(client.extraction.tasks.map((t) => t.task).sort()).toEqual(cases.map((c) => c.task).sort())
    expect(client.extraction.declarations.length).toBeGreaterThanOrEqual(cases.length)
  })

  it('compiles under tsc --strict, each payload type assignable both ways with the handler’s own', () => {
    const { code, output } = runTsc(consumer)
    expect(output).toBe('')
    expect(code).toBe(0)
  }, 120_000)

  it.each(readCases().map((c) => [c.dir, c] as const))('%s: the validator accepts the samples and refuses each mutation at its path', (_dir, c) => {
    for (const sample of c.valid) expect(validatePayload('rt', c.task, sample), JSON.stringify(sample)).toEqual([])
    for (const { value, path } of c.invalid) expect(validatePayload('rt', c.task, value).map((issue) => issue.path), JSON.stringify(value)).toContain(path)
  })
})
