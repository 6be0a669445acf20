import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../generator/cli/main.js'
import { loadModel } from '../../generator/model/load-model.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

/**
 * Hundreds of configs mutated from examples/shop/task-gen.json, each run through the CLI in
 * process. Whatever the config, task-gen must exit 0 or 1 (never a usage error, never an internal
 * error), name a config path or a file position for every problem, write nothing when it fails,
 * and never print an environment value.
 *
 * Reproduce a failure: the message gives the seed and the case; the failing config is saved under
 * the system temp folder, and `TASK_GEN_FUZZ_SEED=<seed> TASK_GEN_FUZZ_CASE=<case>` runs that case alone.
 */

const SEED = Number(process.env.TASK_GEN_FUZZ_SEED ?? 0x7a5c6e12)
const ONLY_CASE = process.env.TASK_GEN_FUZZ_CASE === undefined ? undefined : Number(process.env.TASK_GEN_FUZZ_CASE)
const CASES = 300
/** Every this many cases runs `generate --out <new folder>` instead of `check`. */
const GENERATE_EVERY = 10
/** The example's environment value, replaced by something that looks like a secret. */
const SECRET = 'sk_live_fuzzSECRET4242'
/** A secret written without quotes, as a number: the wrong type, but still never to be printed. */
const SECRET_NUMBER = '98765432123'

afterAll(removeTempDirs)

// ---- a seeded PRNG (mulberry32), one stream per case so that a case reruns on its own ----

type Random = { int(n: number): number; pick<T>(items: readonly T[]): T; chance(p: number): boolean }

function random(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  }
}

const caseSeed = (seed: number, index: number) => (Math.imul(seed ^ 0x9e3779b9, 31) + Math.imul(index + 1, 0x85ebca6b)) >>> 0

// ---- the config as a tree that can hold what JSON.parse cannot: duplicate keys, "__proto__", raw number text ----

type Tree = { kind: 'object'; members: [key: string, value: Tree][] } | { kind: 'list'; items: Tree[] } | { kind: 'raw'; text: string }

function toTree(value: unknown): Tree {
  if (Array.isArray(value)) return { kind: 'list', items: value.map(toTree) }
  if (typeof value === 'object' && value !== null) return { kind: 'object', members: Object.entries(value).map(([k, v]) => [k, toTree(v)]) }
  return { kind: 'raw', text: JSON.stringify(value) }
}

function toText(tree: Tree, indent = ''): string {
  const inner = `${indent}  `
  if (tree.kind === 'raw') return tree.text
  if (tree.kind === 'list') return tree.items.length === 0 ? '[]' : `[\n${tree.items.map((item) => inner + toText(item, inner)).join(',\n')}\n${indent}]`
  if (tree.members.length === 0) return '{}'
  return `{\n${tree.members.map(([key, value]) => `${inner}${JSON.stringify(key)}: ${toText(value, inner)}`).join(',\n')}\n${indent}}`
}

const copyTree = (tree: Tree): Tree => structuredClone(tree)

/** A place in the tree that holds a value: the root is not one (it is replaced whole by no mutation). */
interface Slot {
  path: string
  get(): Tree
  set(tree: Tree): void
}

function slots(tree: Tree, path = ''): Slot[] {
  const found: Slot[] = []
  if (tree.kind === 'object') {
    tree.members.forEach((member, i) => {
      const at = `${path}.${member[0]}`
      found.push({ path: at, get: () => tree.members[i]![1], set: (value) => (tree.members[i]![1] = value) }, ...slots(member[1], at))
    })
  } else if (tree.kind === 'list') {
    tree.items.forEach((item, i) => {
      const at = `${path}[${i}]`
      found.push({ path: at, get: () => tree.items[i]!, set: (value) => (tree.items[i] = value) }, ...slots(item, at))
    })
  }
  return found
}

function objects(tree: Tree, path = ''): { path: string; object: Extract<Tree, { kind: 'object' }> }[] {
  const here = tree.kind === 'object' ? [{ path: path || '(root)', object: tree }] : []
  const children =
    tree.kind === 'object'
      ? tree.members.map(([k, v]) => [`${path}.${k}`, v] as const)
      : tree.kind === 'list'
        ? tree.items.map((v, i) => [`${path}[${i}]`, v] as const)
        : []
  return [...here, ...children.flatMap(([p, v]) => objects(v, p))]
}

// ---- mutations ----

const raw = (text: string): Tree => ({ kind: 'raw', text })

const WRONG_TYPES = ['0', '-1', '3.5', '""', '"x"', 'true', 'false', 'null', '[]', '{}', '["a", 1]', '{ "a": { "b": [] } }', `"${'y'.repeat(5000)}"`]
const HUGE_NUMBERS = ['1e400', '-1e400', '-0', '9007199254740993', '1e-400', '123456789012345678901234567890', '0.1e1', '2e308', '5e-324']
const UNICODE = [
  '\ud800',
  '\udfff',
  '\udbff\udfff',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u200f',
  '\u2066',
  '🚀',
  '👩‍👩‍👧',
  'é',
  'e\u0301',
  '\u0000',
  '\u001b[31m',
  '\u009b',
  'ｓｈｏｐ',
  'ß',
  '\ufeff',
  '*/',
  '${x}',
  '`',
  '"',
  '\\',
]

function unicodeText(rng: Random): string {
  const base = rng.pick(['', 'shop', 'orders', 'PAYMENT_API_KEY', './src/orders/process-order.ts', '512 MB', 'nodejs22.x'])
  const extra = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(UNICODE)).join('')
  const at = rng.int(base.length + 1)
  return base.slice(0, at) + extra + base.slice(at)
}

function deepText(rng: Random): string {
  const depth = rng.pick([99, 100, 101, 500, 5000])
  const [open, close] = rng.pick([
    ['[', ']'],
    ['{"a":', '}'],
    ['[{"x":', '}]'],
  ] as const)
  const unclosed = rng.chance(0.3)
  return `${open.repeat(depth)}1${unclosed ? '' : close.repeat(depth)}`
}

function typo(key: string, rng: Random): string {
  if (key.length < 2) return `${key}x`
  const i = rng.int(key.length - 1)
  return rng.pick([key.slice(0, i) + key.slice(i + 1), key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2), key.toUpperCase(), `${key}s`, ` ${key}`])
}

type TreeMutation = (tree: Tree, rng: Random) => string | undefined

const TREE_MUTATIONS: Record<string, TreeMutation> = {
  'wrong type': (tree, rng) => {
    const slot = rng.pick(slots(tree))
    const text = rng.pick(WRONG_TYPES)
    slot.set(raw(text))
    return `${slot.path} = ${text.slice(0, 20)}`
  },
  'wrong environment value': (tree, rng) => {
    const variables = slots(tree).filter((s) => /\.environment\.[^.[]+$/.test(s.path))
    if (variables.length === 0) return undefined
    const slot = rng.pick(variables)
    const text = rng.pick([SECRET_NUMBER, `-${SECRET_NUMBER}.5`, `[${JSON.stringify(SECRET)}]`, `{ "value": ${JSON.stringify(SECRET)} }`, 'true', 'null'])
    slot.set(raw(text))
    return `${slot.path} = ${text}`
  },
  'deleted key': (tree, rng) => {
    const { path, object } = rng.pick(objects(tree).filter((o) => o.object.members.length > 0))
    const [key] = object.members.splice(rng.int(object.members.length), 1)[0]!
    return `${path}: delete ${key}`
  },
  'deep nesting': (tree, rng) => {
    const slot = rng.pick(slots(tree))
    const text = deepText(rng)
    slot.set(raw(text))
    return `${slot.path} = ${text.slice(0, 12)}… (${text.length} chars)`
  },
  'huge number': (tree, rng) => {
    const slot = rng.pick(slots(tree))
    const text = rng.pick(HUGE_NUMBERS)
    slot.set(raw(text))
    return `${slot.path} = ${text}`
  },
  'unicode value': (tree, rng) => {
    const slot = rng.pick(slots(tree).filter((s) => s.get().kind === 'raw'))
    const text = unicodeText(rng)
    slot.set(raw(JSON.stringify(text)))
    return `${slot.path} = ${JSON.stringify(text)}`
  },
  'unicode key': (tree, rng) => {
    const { path, object } = rng.pick(objects(tree).filter((o) => o.object.members.length > 0))
    const member = rng.pick(object.members)
    const key = unicodeText(rng)
    const old = member[0]
    member[0] = key
    return `${path}: rename ${old} to ${JSON.stringify(key)}`
  },
  'duplicate key': (tree, rng) => {
    const { path, object } = rng.pick(objects(tree).filter((o) => o.object.members.length > 0))
    const [key, value] = rng.pick(object.members)
    object.members.splice(rng.int(object.members.length + 1), 0, [key, rng.chance(0.5) ? copyTree(value) : raw(rng.pick(WRONG_TYPES))])
    return `${path}: ${key} twice`
  },
  '__proto__ key': (tree, rng) => {
    const { path, object } = rng.pick(objects(tree))
    const source = rng.pick(slots(tree)).get()
    object.members.splice(rng.int(object.members.length + 1), 0, ['__proto__', rng.chance(0.5) ? copyTree(source) : raw('{ "polluted": true }')])
    return `${path}: add __proto__`
  },
  'misspelt key': (tree, rng) => {
    const { path, object } = rng.pick(objects(tree).filter((o) => o.object.members.length > 0))
    const member = rng.pick(object.members)
    const old = member[0]
    member[0] = typo(old, rng)
    return `${path}: rename ${old} to ${JSON.stringify(member[0])}`
  },
  'moved value': (tree, rng) => {
    const all = slots(tree)
    const from = rng.pick(all)
    const to = rng.pick(all)
    if (to.path.startsWith(from.path)) return undefined
    to.set(copyTree(from.get()))
    return `${to.path} = copy of ${from.path}`
  },
  'many unknown keys': (tree, rng) => {
    const { path, object } = rng.pick(objects(tree))
    const count = rng.pick([50, 2000])
    for (let i = 0; i < count; i++) object.members.push([`unknown${i}`, raw(String(i))])
    return `${path}: ${count} unknown keys`
  },
}

type TextMutation = (text: string, rng: Random) => [text: string, what: string]

const TEXT_MUTATIONS: Record<string, TextMutation> = {
  'byte order mark': (text, rng) => {
    const at = rng.chance(0.6) ? 0 : rng.int(text.length)
    return [`${text.slice(0, at)}\ufeff${text.slice(at)}`, `BOM at ${at}`]
  },
  truncation: (text, rng) => {
    const at = rng.int(text.length)
    return [text.slice(0, at), `cut at ${at} of ${text.length}`]
  },
  comments: (text, rng) => {
    const spaces = [...text.matchAll(/\n/g)].map((m) => m.index)
    const at = spaces.length > 0 ? rng.pick(spaces) : 0
    const comment = rng.pick(['// a comment', '/* a comment */', '/* unclosed', '/* */ /**/ //'])
    return [text.slice(0, at) + comment + text.slice(at), `comment ${JSON.stringify(comment)} at ${at}`]
  },
  'line endings': (text) => [text.replace(/\n/g, '\r\n'), 'CRLF'],
  'other document': (text, rng) => {
    const other = rng.pick([`[${text}]`, `{ "config": ${text} }`, ...WRONG_TYPES, ''])
    return [other, `document = ${other.slice(0, 20)}`]
  },
  'trailing comma': (text, rng) => {
    const closers = [...text.matchAll(/\n\s*[\]}]/g)].map((m) => m.index)
    const at = closers.length > 0 ? rng.pick(closers) : text.length
    return [`${text.slice(0, at)},${text.slice(at)}`, `comma at ${at}`]
  },
}

type ByteMutation = (bytes: Buffer, rng: Random) => [bytes: Buffer, what: string]

const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  'byte flips': (bytes, rng) => {
    const copy = Buffer.from(bytes)
    const flips = Array.from({ length: 1 + rng.int(4) }, () => [rng.int(copy.length), 1 << rng.int(8)] as const)
    for (const [at, bit] of flips) copy[at]! ^= bit
    return [copy, `flipped ${flips.map(([at, bit]) => `${at}^${bit}`).join(', ')}`]
  },
  'invalid UTF-8': (bytes, rng) => {
    const at = rng.int(bytes.length)
    const junk = Buffer.from(rng.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x80]]))
    return [Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]), `bytes ${junk.toString('hex')} at ${at}`]
  },
}

interface FuzzCase {
  index: number
  command: 'check' | 'generate'
  mutations: string[]
  bytes: Buffer
  /** False when a mutation copied the secret out of an environment (it is then just a string). */
  secretIsEnvironmentValue: boolean
  /** A key "__proto__" is in the text as written: no config with one is valid. */
  hasProtoKey: boolean
}

function hasProtoKey(tree: Tree): boolean {
  if (tree.kind === 'raw') return false
  if (tree.kind === 'list') return tree.items.some(hasProtoKey)
  return tree.members.some(([key, value]) => key === '__proto__' || hasProtoKey(value))
}

const hasSecret = (text: string) => text.includes(SECRET) || text.includes(SECRET_NUMBER)

/** Whether every copy of a secret in the tree is inside an `environment` object. */
function secretOnlyInEnvironment(tree: Tree, inside = false): boolean {
  if (tree.kind === 'raw') return inside || !hasSecret(tree.text)
  if (tree.kind === 'list') return tree.items.every((item) => secretOnlyInEnvironment(item, inside))
  return tree.members.every(([key, value]) => secretOnlyInEnvironment(value, inside || key === 'environment'))
}

function makeCase(base: Tree, index: number): FuzzCase {
  const rng = random(caseSeed(SEED, index))
  const tree = copyTree(base)
  const mutations: string[] = []
  // Some cases change only the text, which often leaves a config that loads to the example's model.
  const count = rng.chance(0.2) ? 0 : 1 + rng.int(2)
  for (let i = 0; i < count; i++) {
    const name = rng.pick(Object.keys(TREE_MUTATIONS))
    const what = TREE_MUTATIONS[name]!(tree, rng)
    if (what) mutations.push(`${name}: ${what}`)
  }
  let text = toText(tree)
  if (count === 0 || rng.chance(0.3)) {
    const name = rng.pick(Object.keys(TEXT_MUTATIONS))
    const [changed, what] = TEXT_MUTATIONS[name]!(text, rng)
    text = changed
    mutations.push(`${name}: ${what}`)
  }
  let bytes: Buffer = Buffer.from(text, 'utf8')
  const flipBytes = rng.chance(0.15)
  if (flipBytes) {
    const name = rng.pick(Object.keys(BYTE_MUTATIONS))
    const [changed, what] = BYTE_MUTATIONS[name]!(bytes, rng)
    bytes = changed
    mutations.push(`${name}: ${what}`)
  }
  const command = index % GENERATE_EVERY === GENERATE_EVERY - 1 ? 'generate' : 'check'
  // (A byte flip can make "__proto__" a valid name, such as "O_proto__".)
  return { index, command, mutations, bytes, secretIsEnvironmentValue: secretOnlyInEnvironment(tree), hasProtoKey: hasProtoKey(tree) && !flipBytes }
}

// ---- running a case and judging what it did ----

/** Every file of the project but the config, with size and time, to show that a run wrote nothing. */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file !== 'task-gen.json')
    .map((file) => {
      const stat = statSync(join(dir, file))
      return `${file} ${stat.size} ${stat.mtimeMs}`
    })
    .sort()
    .join('\n')
}

const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`
const CONFIG_PATH = new RegExp(String.raw`^(?:[A-Za-z_$][\w$]*|\[(?:\d+|${JSON_STRING})\])(?:\.[A-Za-z_$][\w$]*|\[(?:\d+|${JSON_STRING})\])*: \S`)
const SUMMARY = /^task-gen (check|generate): (\d+) problems? found; nothing was written\.$/

/** What is wrong with one run, or [] when it behaved. */
function judge(run: { code: number; stdout: string; stderr: string }, fuzz: FuzzCase, configFile: string, wrote: boolean): string[] {
  const wrong: string[] = []
  if (run.code !== 0 && run.code !== 1) wrong.push(`exit ${run.code}`)
  if (/internal error|^\s+at /m.test(run.stderr)) wrong.push('internal error or stack trace on stderr')
  if (fuzz.secretIsEnvironmentValue && hasSecret(`${run.stdout}\n${run.stderr}`)) wrong.push('printed an environment value')
  if (run.code === 0) {
    if (fuzz.hasProtoKey) wrong.push('accepted a config with a key "__proto__" (dropped without a word?)')
    if (!run.stdout.startsWith('✓')) wrong.push('exit 0 without the ✓ line')
    return wrong
  }
  if (wrote) wrong.push('wrote files although it failed')
  if (run.stdout !== '') wrong.push('printed to stdout although it failed')
  const lines = run.stderr.split('\n')
  const summary = SUMMARY.exec(lines.at(-1) ?? '')
  if (!summary) return [...wrong, `last line is not the summary: ${JSON.stringify(lines.at(-1))}`]
  const problems = lines.slice(0, -1)
  if (problems.length !== Number(summary[2])) wrong.push(`${summary[2]} problems counted but ${problems.length} lines (a message with a line break?)`)
  const position = `${relative(process.cwd(), configFile)}:`
  for (const line of problems) {
    if (!CONFIG_PATH.test(line) && !new RegExp(String.raw`^${escapeRegExp(position)}\d+:\d+: \S`).test(line))
      wrong.push(`names no config path or file position: ${JSON.stringify(line.slice(0, 200))}`)
  }
  return wrong
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The model a valid config loads to, or undefined; everything after loading depends on the model alone. */
function modelOf(configFile: string): string | undefined {
  try {
    return JSON.stringify(loadModel({ configFile }))
  } catch {
    return undefined // the CLI run reports it, and judge() checks how
  }
}

async function runCase(project: string, fuzz: FuzzCase, modelsRun: Set<string>): Promise<{ code: number | 'same model'; failure?: string }> {
  const configFile = join(project, 'task-gen.json')
  writeFileSync(configFile, fuzz.bytes)
  // A valid config costs the CLI a TypeScript program; one whose model was already run (a comment
  // or a BOM more) would only repeat that run.
  const model = modelOf(configFile)
  if (model !== undefined) {
    if (modelsRun.has(`${fuzz.command} ${model}`)) return { code: 'same model' }
    modelsRun.add(`${fuzz.command} ${model}`)
  }
  const out = join(project, `generated-${fuzz.index}`)
  const args = fuzz.command === 'check' ? ['check', '--config', configFile] : ['generate', '--config', configFile, '--out', out]
  const before = snapshot(project)
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(args, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) })
  const run = { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') }
  const wrong = judge(run, fuzz, configFile, snapshot(project) !== before)
  if (code === 0 && fuzz.command === 'generate') {
    if (!existsSync(join(out, 'package.json'))) wrong.push('generate exited 0 without writing the package')
    rmSync(out, { recursive: true, force: true })
  }
  if (wrong.length === 0) return { code }
  const failure = `case ${fuzz.index} (${fuzz.command}): ${wrong.join('; ')}\n    mutations: ${fuzz.mutations.join(' | ')}\n    stderr: ${run.stderr.slice(0, 600)}\n    config: ${saveFailure(fuzz)}`
  return { code, failure }
}

/** Keeps a failing config where the temp folder cleanup does not reach, for rerunning by hand. */
function saveFailure(fuzz: FuzzCase): string {
  const dir = join(tmpdir(), 'task-gen-fuzz-failures')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `seed-${SEED}-case-${fuzz.index}.json`)
  writeFileSync(file, fuzz.bytes)
  return `${file} (copy it over examples/shop/task-gen.json in a copy of the example and run \`task-gen ${fuzz.command}\`)`
}

describe('mutated configs (fuzz)', () => {
  it(`exit 0 or 1 with every problem placed, never an internal error, nothing written on failure (seed ${SEED})`, async () => {
    const example = readFileSync(join(REPO_ROOT, 'examples/shop/task-gen.json'), 'utf8')
    expect(example).toContain('"your-api-key"')
    const base = toTree(JSON.parse(example.replace('"your-api-key"', JSON.stringify(SECRET))))
    const project = copyShop('fuzz')
    const modelsRun = new Set<string>()
    // The example itself, unmutated: both commands succeed (and later cases with its model are not rerun).
    for (const command of ['check', 'generate'] as const) {
      const unchanged: FuzzCase = { index: -1, command, mutations: [], bytes: Buffer.from(toText(base)), secretIsEnvironmentValue: true, hasProtoKey: false }
      expect(await runCase(project, unchanged, modelsRun)).toEqual({ code: 0 })
    }
    const indices = ONLY_CASE === undefined ? Array.from({ length: CASES }, (_, i) => i) : [ONLY_CASE]
    const failures: string[] = []
    const exits = new Map<string, number>()
    const kinds = new Set<string>()
    for (const index of indices) {
      const fuzz = makeCase(base, index)
      for (const mutation of fuzz.mutations) kinds.add(mutation.slice(0, mutation.indexOf(':')))
      // A case rerun alone runs in full, whatever model it has.
      const { code, failure } = await runCase(project, fuzz, ONLY_CASE === undefined ? modelsRun : new Set())
      exits.set(`${fuzz.command} ${code}`, (exits.get(`${fuzz.command} ${code}`) ?? 0) + 1)
      if (failure) failures.push(failure)
    }
    expect(failures, `seed ${SEED} (TASK_GEN_FUZZ_SEED=${SEED} TASK_GEN_FUZZ_CASE=<case> reruns one case):\n${failures.slice(0, 10).join('\n')}`).toEqual([])
    if (ONLY_CASE !== undefined) return
    // The mix is worth running: every kind of mutation, configs that check and that fail both commands.
    expect([...kinds].sort()).toEqual([...Object.keys(TREE_MUTATIONS), ...Object.keys(TEXT_MUTATIONS), ...Object.keys(BYTE_MUTATIONS)].sort())
    for (const outcome of ['check 0', 'check 1', 'generate 1']) expect(exits.get(outcome), outcome).toBeGreaterThan(0)
  }, 240_000)
})
