import type { Schema, SchemaDefs } from './schema.js'
import { containerKinds, discriminantOf, ownDef } from './schema-shape.js'
import { matchesTemplate, type TemplateHole } from './template-literal.js'

/**
 * How deep objects and arrays may nest in a payload: far more than a real payload needs. The check
 * and the walk keep their own stacks, so no depth of input can overflow JavaScript's.
 */
export const MAX_PAYLOAD_DEPTH = 1000

// Node kinds: a schema compiled for the check. Refs are gone: a ref is its def's node.
const UNKNOWN = 0,
  NEVER = 1,
  STRING = 2,
  NUMBER = 3,
  BOOLEAN = 4,
  NULL = 5,
  UNDEFINED = 6,
  LITERAL = 7,
  OBJECT = 8,
  ARRAY = 9,
  TUPLE = 10,
  UNION = 11,
  TEMPLATE = 12

interface Property {
  key: string
  optional: boolean
  node: Node
}

/** A schema compiled for the check. One class for every kind, so that the loop reads one shape. Refs are gone: a ref is its def's node. */
class Node {
  kind = NEVER
  /** LITERAL: the value. */
  value: unknown = undefined
  /** TEMPLATE: the literal texts and the placeholders between them. */
  texts: readonly string[] = []
  holes: readonly TemplateHole[] = []
  /** OBJECT: properties that cannot hold a container first, so that a mismatch among them is found before anything deeper. */
  properties: Property[] = []
  known: Set<string> | undefined = undefined
  /** ARRAY: the items; TUPLE: the rest; OBJECT: the index signature. */
  part: Node | undefined = undefined
  /** TUPLE: the items; UNION: the options. */
  parts: Node[] = []
  required = 0
  max = 0
  /** UNION: index into a run's memos, and whether an option can look into containers (only then is a failed try worth remembering). */
  id = -1
  holds = false
  /** UNION: the options worth trying, by the value's kind: every leaf inside it (for a primitive), and the options that take objects, or arrays. */
  leaves: Node[] = []
  objects: Node[] = []
  arrays: Node[] = []
  /** UNION with a discriminant: the options each tag value can match. */
  tag: string | undefined = undefined
  byTag: Map<unknown, Node[]> | undefined = undefined
  /** UNION: the run and depth it is being decided at, to stop `type T = T | null` coming back to itself. */
  activeRun: Run | undefined = undefined
  activeDepth = -1
}

interface Compiled {
  nodes: WeakMap<Schema, Node>
  unions: number
}

const compiledByDefs = new WeakMap<SchemaDefs, Compiled>()
const NEVER_NODE = new Node()

/** A schema compiled for checking, once per schema object (the client's manifest is built once). */
export type Check = Node

export function compile(schema: Schema, defs: SchemaDefs): Check {
  let compiled = compiledByDefs.get(defs)
  if (!compiled) {
    compiled = { nodes: new WeakMap(), unions: 0 }
    compiledByDefs.set(defs, compiled)
  }
  return compiled.nodes.get(schema) ?? nodeOf(schema, defs, compiled)
}

/** The schema past its refs; a ref chain that comes back to itself accepts nothing. */
function dereference(schema: Schema, defs: SchemaDefs): Exclude<Schema, { type: 'ref' }> | undefined {
  const seen = new Set<string>()
  let s = schema
  while (s.type === 'ref') {
    if (seen.has(s.name)) return undefined
    seen.add(s.name)
    const def = ownDef(defs, s.name)
    if (!def) throw new Error(`task-gen: the validator has no schema named ${s.name}`)
    s = def
  }
  return s
}

function nodeOf(schema: Schema, defs: SchemaDefs, compiled: Compiled): Node {
  const s = dereference(schema, defs)
  if (!s) return NEVER_NODE
  let node = compiled.nodes.get(s)
  if (!node) {
    // Registered before its parts are compiled: a recursive type's node refers to itself.
    node = new Node()
    compiled.nodes.set(s, node)
    fill(node, s, defs, compiled)
  }
  if (s !== schema) compiled.nodes.set(schema, node)
  return node
}

const LEAVES = { unknown: UNKNOWN, never: NEVER, string: STRING, number: NUMBER, boolean: BOOLEAN, null: NULL, undefined: UNDEFINED } as const

function fill(node: Node, s: Exclude<Schema, { type: 'ref' }>, defs: SchemaDefs, compiled: Compiled): void {
  const part = (schema: Schema) => nodeOf(schema, defs, compiled)
  switch (s.type) {
    case 'unknown':
    case 'never':
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'undefined':
      node.kind = LEAVES[s.type]
      return
    case 'literal':
      node.kind = LITERAL
      node.value = s.value
      return
    case 'template':
      node.kind = TEMPLATE
      node.texts = s.texts
      node.holes = s.holes
      return
    case 'array':
      node.kind = ARRAY
      node.part = part(s.items)
      return
    case 'tuple':
      node.kind = TUPLE
      node.parts = s.items.map(part)
      node.part = s.rest && part(s.rest)
      node.required = s.required
      node.max = s.rest ? Infinity : s.items.length
      return
    case 'object':
      node.kind = OBJECT
      node.properties = Object.entries(s.properties)
        .map(([key, p]) => ({ key, optional: p.optional, node: part(p.schema), deep: holdsContainers(p.schema, defs) }))
        .sort((a, b) => Number(a.deep) - Number(b.deep))
        .map(({ key, optional, node }) => ({ key, optional, node }))
      node.known = new Set(Object.keys(s.properties))
      node.part = s.additional && part(s.additional)
      return
    case 'union': {
      node.kind = UNION
      node.id = compiled.unions++
      node.parts = s.anyOf.map(part)
      node.holds = holdsContainers(s, defs)
      node.leaves = leavesOf(s, defs, compiled)
      const kinds = s.anyOf.map((option) => containerKinds(option, defs))
      node.objects = node.parts.filter((_, i) => kinds[i]!.object)
      node.arrays = node.parts.filter((_, i) => kinds[i]!.array)
      const d = discriminantOf(s, defs)
      if (d) {
        node.tag = d.key
        node.byTag = new Map([...d.byValue].map(([value, indexes]) => [value, indexes.map((i) => node.parts[i]!)]))
      }
      return
    }
    default: {
      const never: never = s
      throw new Error(`task-gen: unknown schema ${JSON.stringify(never)}`)
    }
  }
}

/** Every leaf a primitive could match in a union, nested unions flattened (each once, so a union that refers to itself ends). */
function leavesOf(union: Extract<Schema, { type: 'union' }>, defs: SchemaDefs, compiled: Compiled): Node[] {
  const leaves: Node[] = []
  const seen = new Set<Schema>()
  const collect = (schema: Schema): void => {
    const s = dereference(schema, defs)
    if (!s || seen.has(s)) return
    seen.add(s)
    if (s.type === 'union') s.anyOf.forEach(collect)
    else if (s.type !== 'object' && s.type !== 'array' && s.type !== 'tuple') leaves.push(nodeOf(s, defs, compiled))
  }
  collect(union)
  return leaves
}

function holdsContainers(schema: Schema, defs: SchemaDefs): boolean {
  const kinds = containerKinds(schema, defs)
  return kinds.object || kinds.array
}

/**
 * One validation's state. Memoizing is off until a union has rejected a container with an option
 * that could look into it: only then can the same (union, value) pair come up again, and from then
 * on each is decided once, so that nested unions stay linear.
 */
export interface Run {
  memoize: boolean
  /** By union id: value → PENDING, PASSED or FAILED. */
  memos: Map<object, number>[]
  stack: Stack
  /** The run this one interrupted, if any. */
  outer?: Run | undefined
}

const PENDING = 0,
  PASSED = 1,
  FAILED = 2

/** The check's own stack, one frame per container or union being decided, as parallel arrays. */
interface Stack {
  size: number
  nodes: Node[]
  values: unknown[]
  depths: number[]
  next: number[]
  /** A union's candidate options, or an object's keys to check against its index signature. */
  lists: (readonly unknown[] | undefined)[]
  outerRuns: (Run | undefined)[]
  outerDepths: number[]
}

const newStack = (): Stack => ({ size: 0, nodes: [], values: [], depths: [], next: [], lists: [], outerRuns: [], outerDepths: [] })

let run: Run = { memoize: false, memos: [], stack: newStack() }
const idle: Run[] = []

/**
 * Makes a run the current one until `end`; runs (and their stacks) are reused. Re-entrant: a
 * getter read during a check may itself validate, in a run of its own.
 */
export function begin(memoize: boolean): Run {
  const next = idle.pop() ?? { memoize, memos: [], stack: newStack() }
  next.memoize = memoize
  next.outer = run
  run = next
  return next
}

export function end(current: Run): void {
  run = current.outer!
  current.outer = undefined
  if (current.memos.length > 0) current.memos = []
  idle.push(current)
}

// What entering a node gives: a verdict, or a frame pushed for the loop to finish.
const NO = 0,
  YES = 1,
  PUSHED = 2

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null
const EMPTY: Node[] = []

function push(stack: Stack, node: Node, v: unknown, depth: number, list: readonly unknown[] | undefined): typeof PUSHED {
  const i = stack.size++
  stack.nodes[i] = node
  stack.values[i] = v
  stack.depths[i] = depth
  stack.next[i] = 0
  stack.lists[i] = list
  return PUSHED
}

function pop(stack: Stack, verdict: typeof NO | typeof YES): typeof NO | typeof YES {
  const i = --stack.size
  stack.values[i] = undefined
  stack.lists[i] = undefined
  return verdict
}

/** Decides a leaf at once; pushes a frame for a container, or for a union that must try options. */
function enter(stack: Stack, node: Node, v: unknown, depth: number): number {
  switch (node.kind) {
    case UNKNOWN:
      return YES
    case STRING:
      return typeof v === 'string' ? YES : NO
    case NUMBER:
      return typeof v === 'number' && Number.isFinite(v) ? YES : NO
    case BOOLEAN:
      return typeof v === 'boolean' ? YES : NO
    case NULL:
      return v === null ? YES : NO
    case UNDEFINED:
      return v === undefined ? YES : NO
    case LITERAL:
      return v === node.value ? YES : NO
    case TEMPLATE:
      return typeof v === 'string' && matchesTemplate(v, node.texts, node.holes) ? YES : NO
    case OBJECT:
      if (!isObject(v) || Array.isArray(v) || depth >= MAX_PAYLOAD_DEPTH) return NO
      return push(stack, node, v, depth, node.part && Object.keys(v))
    case ARRAY:
      return Array.isArray(v) && depth < MAX_PAYLOAD_DEPTH ? push(stack, node, v, depth, undefined) : NO
    case TUPLE:
      if (!Array.isArray(v) || depth >= MAX_PAYLOAD_DEPTH || v.length < node.required || v.length > node.max) return NO
      return push(stack, node, v, depth, undefined)
    case UNION:
      return enterUnion(stack, node, v, depth)
    default:
      return NO
  }
}

function enterUnion(stack: Stack, node: Node, v: unknown, depth: number): number {
  if (!isObject(v)) {
    for (const leaf of node.leaves) if (enter(stack, leaf, v, depth) === YES) return YES
    return NO
  }
  let candidates: Node[]
  if (Array.isArray(v)) candidates = node.arrays
  // Only the options the value's tag can match are tried, before anything recurses.
  else if (node.byTag) candidates = node.byTag.get(Object.hasOwn(v, node.tag!) ? (v as Record<string, unknown>)[node.tag!] : undefined) ?? EMPTY
  else candidates = node.objects
  if (candidates.length === 0) return NO
  // One option can take it: nothing to choose between, nothing to remember.
  if (candidates.length === 1) return enter(stack, candidates[0]!, v, depth)
  const current = run
  // Back at this union on the same value with no container in between (`type T = T | {…}`): that option adds nothing.
  if (node.activeRun === current && node.activeDepth === depth) return NO
  if (current.memoize) {
    current.memos[node.id] ??= new Map()
    const memo = current.memos[node.id]!
    const known = memo.get(v)
    // PENDING: the value contains itself (a cycle), which JSON cannot carry.
    if (known !== undefined) return known === PASSED ? YES : NO
    memo.set(v, PENDING)
  }
  const i = stack.size
  stack.outerRuns[i] = node.activeRun
  stack.outerDepths[i] = node.activeDepth
  node.activeRun = current
  node.activeDepth = depth
  return push(stack, node, v, depth, candidates)
}

function finishUnion(stack: Stack, node: Node, verdict: typeof NO | typeof YES): typeof NO | typeof YES {
  const i = stack.size - 1
  node.activeRun = stack.outerRuns[i]
  node.activeDepth = stack.outerDepths[i]!
  stack.outerRuns[i] = undefined
  const v = stack.values[i]
  if (run.memoize && isObject(v)) {
    run.memos[node.id] ??= new Map()
    run.memos[node.id]!.set(v, verdict === YES ? PASSED : FAILED)
  }
  return pop(stack, verdict)
}

/** Goes on with the frame on top, given the verdict of the part it last entered (PUSHED: it has just started). */
function resume(stack: Stack, verdict: number): number {
  const f = stack.size - 1
  const node = stack.nodes[f]!
  const v = stack.values[f]
  const depth = stack.depths[f]!
  let i = stack.next[f]!
  switch (node.kind) {
    case OBJECT: {
      if (verdict === NO) return pop(stack, NO)
      const record = v as Record<string, unknown>
      const { properties } = node
      for (; i < properties.length; i++) {
        const { key, optional, node: part } = properties[i]!
        const x = Object.hasOwn(record, key) ? record[key] : undefined
        if (x === undefined) {
          if (optional) continue
          return pop(stack, NO)
        }
        const r = enter(stack, part, x, depth + 1)
        if (r === YES) continue
        if (r === NO) return pop(stack, NO)
        stack.next[f] = i + 1
        return PUSHED
      }
      const keys = stack.lists[f] as readonly string[] | undefined
      if (keys) {
        for (let k = i - properties.length; k < keys.length; k++) {
          const key = keys[k]!
          if (node.known!.has(key)) continue
          const r = enter(stack, node.part!, record[key], depth + 1)
          if (r === YES) continue
          if (r === NO) return pop(stack, NO)
          stack.next[f] = properties.length + k + 1
          return PUSHED
        }
      }
      return pop(stack, YES)
    }
    case ARRAY:
    case TUPLE: {
      if (verdict === NO) return pop(stack, NO)
      const values = v as unknown[]
      // Every index, holes too: JSON.stringify sends a hole as null.
      for (; i < values.length; i++) {
        const part = node.kind === ARRAY ? node.part! : (node.parts[i] ?? node.part!)
        const r = enter(stack, part, values[i], depth + 1)
        if (r === YES) continue
        if (r === NO) return pop(stack, NO)
        stack.next[f] = i + 1
        return PUSHED
      }
      return pop(stack, YES)
    }
    case UNION: {
      if (verdict === YES) return finishUnion(stack, node, YES)
      const candidates = stack.lists[f] as readonly Node[]
      if (verdict === NO) triedAndFailed(candidates[i - 1]!, v)
      for (; i < candidates.length; i++) {
        const r = enter(stack, candidates[i]!, v, depth)
        if (r === YES) return finishUnion(stack, node, YES)
        if (r === PUSHED) {
          stack.next[f] = i + 1
          return PUSHED
        }
        triedAndFailed(candidates[i]!, v)
      }
      return finishUnion(stack, node, NO)
    }
    default:
      throw new Error('task-gen: the check resumed a leaf')
  }
}

/** An option that could look into containers failed on one: the same value may come up again, so verdicts are remembered from now on. */
function triedAndFailed(option: Node, v: unknown): void {
  if (!run.memoize && isObject(v) && (option.kind === OBJECT || option.kind === ARRAY || option.kind === TUPLE || option.holds)) run.memoize = true
}

/** Whether the value matches, at that nesting depth; a getter or proxy that throws makes it "no" (the walk then says where). */
export function passes(node: Check, value: unknown, depth: number): boolean {
  const stack = run.stack
  const base = stack.size
  try {
    let verdict = enter(stack, node, value, depth)
    while (stack.size > base) verdict = resume(stack, verdict)
    return verdict === YES
  } catch {
    // What the aborted check left behind (unions marked active, memo entries pending, frames) must not answer later checks.
    while (stack.size > base) {
      const n = stack.nodes[stack.size - 1]!
      if (n.kind === UNION) finishUnion(stack, n, NO)
      else pop(stack, NO)
    }
    run.memos = []
    return false
  }
}
