import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UserError } from '../../generator/errors/problem.js'
import { formatProblem } from '../../generator/errors/format-problems.js'
import { buildClient, writeClient } from '../../generator/generate.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { CONSUMER_TSCONFIG, runTsc } from '../helpers/tsc.js'

interface Case {
  dir: string
  task: string
  handler?: string
  payloadOptional: boolean
  valid: unknown[]
  invalid: unknown[]
  tsValid?: string[]
}

const HANDLERS = join(REPO_ROOT, 'test/fixtures/handlers')
const UNSAFE = join(REPO_ROOT, 'test/fixtures/unsafe-handlers')

const camel = (dir: string) => dir.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

function readCases(root: string): Case[] {
  return readdirSync(root)
    .sort()
    .map((dir) => ({ dir, task: camel(dir), ...(JSON.parse(readFileSync(join(root, dir, 'case.json'), 'utf8')) as Omit<Case, 'dir' | 'task'>) }))
}

/** A project whose one stack has a task per fixture case. */
function writeProject(root: string, cases: readonly Case[], fixtures: string): string {
  const tasks: Record<string, unknown> = {}
  for (const c of cases) {
    cpSync(join(fixtures, c.dir), join(root, 'src', c.dir), { recursive: true })
    const file = `./src/${c.dir}/handler.ts`
    tasks[c.task] = c.handler ? { consumer: { code: file, handler: c.handler } } : file
  }
  const config = join(root, 'task-gen.json')
  writeFileSync(config, JSON.stringify({ app: 'fx', region: 'us-east-1', client: { name: 'fixtures-client' }, stacks: { fx: { tasks } } }, null, 2))
  return config
}

function consumerSource(cases: readonly Case[]): string {
  const lines = ["import * as client from 'fixtures-client'", "import { Task } from 'fixtures-client'", '']
  for (const c of cases) {
    const payload = `P_${c.task}`
    lines.push(`type ${payload} = Parameters<typeof Task.fx.${c.task}>[0]`)
    ;(c.tsValid ?? c.valid.map((v) => JSON.stringify(v))).forEach((sample, i) => lines.push(`export const ${c.task}_valid_${i}: ${payload} = ${sample}`))
    c.invalid.forEach((sample, i) =>
      lines.push('// @ts-expect-error a wrong payload must not compile', `export const ${c.task}_invalid_${i}: ${payload} = ${JSON.stringify(sample)}`),
    )
    if (!c.payloadOptional) lines.push('// @ts-expect-error the payload is required', `export const ${c.task}_missing = () => Task.fx.${c.task}()`)
    else lines.push(`export const ${c.task}_omitted = () => Task.fx.${c.task}()`)
    lines.push('')
  }
  lines.push('void client')
  return lines.join('\n')
}

const temps: string[] = []
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

describe('the handler corpus', () => {
  const cases = readCases(HANDLERS)
  let consumer: string
  let validatePayload: (stack: string, task: string, payload: unknown) => { path: string; message: string }[]

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'task-gen-corpus-'))
    temps.push(root)
    const config = writeProject(join(root, 'project'), cases, HANDLERS)
    consumer = join(root, 'consumer')
    const client = await buildClient({ configFile: config, out: join(consumer, 'node_modules', 'fixtures-client') })
    await writeClient(client)
    // The package must stand alone: remove every source it was generated from.
    rmSync(join(root, 'project'), { recursive: true })
    writeFileSync(join(consumer, 'tsconfig.json'), CONSUMER_TSCONFIG)
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    writeFileSync(join(consumer, 'check.ts'), consumerSource(cases))
    mkdirSync(join(root, 'node_modules'), { recursive: true })
    // The package's one dependency, as an installed application would have it.
    symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(root, 'node_modules', '@aws-sdk'))
    ;({ validatePayload } = await import(pathToFileURL(join(client.outDir, 'index.js')).href))
  }, 60_000)

  it('has at least 25 cases, each with samples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25)
    for (const c of cases) expect(c.valid.length + c.invalid.length, c.dir).toBeGreaterThan(0)
  })

  it('type-checks against the generated package after the sources are gone: valid samples compile, invalid ones do not', () => {
    const { code, output } = runTsc(consumer)
    expect(output).toBe('')
    expect(code).toBe(0)
  }, 60_000)

  it.each(cases.map((c) => [c.dir, c] as const))('%s: the validator agrees with the type', (_dir, c) => {
    for (const sample of c.valid) expect(validatePayload('fx', c.task, sample), JSON.stringify(sample)).toEqual([])
    for (const sample of c.invalid) expect(validatePayload('fx', c.task, sample), JSON.stringify(sample)).not.toEqual([])
    expect(validatePayload('fx', c.task, undefined).length === 0).toBe(c.payloadOptional)
  })
})

describe('payload types that do not survive JSON', () => {
  const cases = readCases(UNSAFE) as unknown as (Case & { path: string; kind: string })[]

  it('has a case for every kind', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['Date', 'Map', 'Set', 'bigint', 'function', 'symbol', 'class', 'undefined-in-array']))
  })

  it('are all refused at once, each with its task, property path and handler file:line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'task-gen-unsafe-'))
    temps.push(root)
    const config = writeProject(root, cases, UNSAFE)
    const error = await buildClient({ configFile: config, out: join(root, 'out') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    const lines = (error as UserError).problems.map((p) => formatProblem(p, root))
    const keyword: Record<string, string> = {
      Date: 'is Date, which arrives as a string',
      Map: 'is Map, which arrives as {}',
      Set: 'is Set, which arrives as {}',
      bigint: 'is bigint',
      function: 'is a function, which JSON drops',
      symbol: 'is a symbol',
      class: 'is an instance of class',
      'undefined-in-array': 'is an array that may hold undefined',
    }
    for (const c of cases) {
      const line = lines.find((l) => l.startsWith(`stacks.fx.tasks.${c.task}: `))
      expect(line, c.dir).toBeDefined()
      expect(line).toContain(`: ${c.path} ${keyword[c.kind]}`)
      expect(line).toMatch(new RegExp(`\\(src/${c.dir}/[\\w/.-]+\\.ts:\\d+:\\d+\\)$`))
    }
    expect(lines).toHaveLength(cases.length)
  }, 60_000)
})
