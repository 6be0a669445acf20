import type { Schema, SchemaDefs } from './schema.js'
import { compile, MAX_PAYLOAD_DEPTH, passes } from './schema-check.js'
import { containerKinds, discriminantOf, ownDef, resolve, type Discriminant } from './schema-shape.js'
import { matchesTemplate, templateText } from './template-literal.js'
import type { ValidationIssue } from './validate.js'

/** A walk stops listing issues after this many: a payload with thousands of bad items needs its first few, not a 10 MB message. */
export const MAX_ISSUES = 100

const UNREADABLE = 'could not be read: a getter or proxy threw'
const TOO_DEEP = `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels of objects and arrays`

function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value)
  } catch {
    return false
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'object':
      return isArray(value) ? 'an array' : 'an object'
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)
    case 'number':
      return Number.isFinite(value) ? `number ${value}` : `${value} (not representable in JSON)`
    case 'function':
      return 'a function'
    case 'symbol':
      return 'a symbol'
    case 'undefined':
      return 'undefined'
    default:
      return `${typeof value} ${String(value)}`
  }
}

/** What a schema accepts, in words. Each def is spelled out once, so a recursive union ends. */
function expectedParts(schema: Schema, defs: SchemaDefs, seen: Set<string>): string[] {
  switch (schema.type) {
    case 'literal':
      return [JSON.stringify(schema.value)]
    case 'template':
      return [`a string of the form ${templateText(schema.texts, schema.holes)}`]
    case 'ref': {
      if (seen.has(schema.name)) return []
      seen.add(schema.name)
      const def = ownDef(defs, schema.name)
      return def ? expectedParts(def, defs, seen) : ['unknown']
    }
    case 'union':
      return schema.anyOf.flatMap((s) => expectedParts(s, defs, seen))
    case 'object':
      return ['an object']
    case 'array':
    case 'tuple':
      return ['an array']
    default:
      return [schema.type]
  }
}

function expected(schema: Schema, defs: SchemaDefs): string {
  const parts = [...new Set(expectedParts(schema, defs, new Set()))]
  return parts.length > 0 ? parts.join(' | ') : 'never'
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** A path as a chain of steps, spelled out (without recursing) only when an issue needs it. */
interface Path {
  readonly parent: Path | undefined
  /** A property name or an array index; the root's is its name (`payload`). */
  readonly step: string | number
}

const child = (parent: Path, step: string | number): Path => ({ parent, step })

function spell(path: Path): string {
  const steps: (string | number)[] = []
  let root = path
  for (; root.parent; root = root.parent) steps.push(root.step)
  let text = String(root.step)
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!
    text += typeof step === 'number' ? `[${step}]` : IDENTIFIER.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`
  }
  return text
}

/** An own property's value, as JSON.stringify would read it; `unreadable` when a getter or proxy throws. */
const unreadable = Symbol('unreadable')
function own(value: object, key: string): unknown {
  try {
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
  } catch {
    return unreadable
  }
}

type Union = Extract<Schema, { type: 'union' }>
const discriminants = new WeakMap<Union, Discriminant | null>()
function discriminant(union: Union, defs: SchemaDefs): Discriminant | undefined {
  if (!discriminants.has(union)) discriminants.set(union, discriminantOf(union, defs) ?? null)
  return discriminants.get(union) ?? undefined
}

/** A value to check against a schema, with the defs entered on this same value since the last container. */
interface Visit {
  schema: Schema
  value: unknown
  at: Path
  depth: number
  via: ReadonlySet<string> | undefined
}

/** An issue found while listing a container's parts, reported in turn with theirs. */
interface Finding {
  at: Path
  message: string
}

/** What the walk has still to do: a visit, an issue in its place, or leaving a container it entered. */
type Task = Visit | Finding | { leave: object }

/**
 * The detailed walk: every issue with its path, after the compiled check said no. A depth-first
 * walk on its own stack, once along the value; at a union it asks the (memoized) check, and walks
 * only one option: the one the value's tag names, else the one whose parts mismatch least.
 * Containers on the current path are remembered, so that a cycle is reported where it closes.
 */
export class Walk {
  readonly issues: ValidationIssue[] = []
  truncated = false
  private readonly tasks: Task[] = []
  private readonly ancestors = new Map<object, Path>()

  constructor(private readonly defs: SchemaDefs) {}

  run(schema: Schema, value: unknown, at: Path): void {
    this.tasks.push({ schema, value, at, depth: 0, via: undefined })
    while (this.tasks.length > 0 && !this.truncated) {
      const task = this.tasks.pop()!
      if ('leave' in task) this.ancestors.delete(task.leave)
      else if ('message' in task) this.issue(task.at, task.message)
      else this.visit(task.schema, task.value, task.at, task.depth, task.via)
    }
  }

  private issue(at: Path, message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path: spell(at), message })
    else this.truncated = true
  }

  private fail(at: Path, s: Schema, v: unknown): void {
    this.issue(at, `expected ${expected(s, this.defs)}, got ${describe(v)}`)
  }

  private visit(s: Schema, v: unknown, at: Path, depth: number, via: ReadonlySet<string> | undefined): void {
    switch (s.type) {
      case 'unknown':
        return
      case 'never':
        return this.fail(at, s, v)
      case 'string':
      case 'boolean':
      case 'undefined':
        if (typeof v !== s.type) this.fail(at, s, v)
        return
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(at, s, v)
        return
      case 'null':
        if (v !== null) this.fail(at, s, v)
        return
      case 'literal':
        if (v !== s.value) this.fail(at, s, v)
        return
      case 'template':
        if (typeof v !== 'string' || !matchesTemplate(v, s.texts, s.holes)) this.fail(at, s, v)
        return
      case 'ref': {
        const target = ownDef(this.defs, s.name)
        if (!target) throw new Error(`task-gen: the validator has no schema named ${s.name}`)
        // Back at the same def with no container in between (`type T = T | null`): that path adds nothing.
        if (via?.has(s.name)) return this.fail(at, target, v)
        this.tasks.push({ schema: target, value: v, at, depth, via: new Set(via).add(s.name) })
        return
      }
      case 'array':
      case 'tuple':
        return this.array(s, v, at, depth)
      case 'object':
        return this.object(s, v, at, depth)
      case 'union':
        return this.union(s, v, at, depth, via)
      default: {
        const never: never = s
        throw new Error(`task-gen: unknown schema ${JSON.stringify(never)}`)
      }
    }
  }

  /** Enters a container: false (and reported) when it closes a cycle or is nested too deep. */
  private enter(v: object, at: Path, depth: number): boolean {
    const back = this.ancestors.get(v)
    if (back) this.issue(at, `refers back to ${spell(back)}: a cycle, which JSON cannot carry`)
    else if (depth >= MAX_PAYLOAD_DEPTH) this.issue(at, TOO_DEEP)
    else {
      this.ancestors.set(v, at)
      this.tasks.push({ leave: v })
      return true
    }
    return false
  }

  /** A container's parts, pushed last first so that issues come out in order. */
  private children(parts: (Visit | Finding)[]): void {
    for (let i = parts.length - 1; i >= 0; i--) this.tasks.push(parts[i]!)
  }

  private array(s: Extract<Schema, { type: 'array' | 'tuple' }>, v: unknown, at: Path, depth: number): void {
    if (isUnreadable(v)) return this.issue(at, UNREADABLE)
    if (typeof v !== 'object' || v === null || !isArray(v)) return this.fail(at, s, v)
    const values = v as unknown[]
    let length: number
    try {
      length = values.length
    } catch {
      return this.issue(at, UNREADABLE)
    }
    if (s.type === 'tuple') {
      const max = s.rest ? Infinity : s.items.length
      if (length < s.required || length > max)
        return this.issue(at, `expected ${s.required === max ? s.required : `${s.required} to ${max}`} items, got ${length}`)
    }
    if (!this.enter(values, at, depth)) return
    const parts: (Visit | Finding)[] = []
    for (let i = 0; i < length; i++) {
      let x: unknown
      try {
        x = values[i]
      } catch {
        x = unreadable
      }
      if (x === unreadable) parts.push({ at: child(at, i), message: UNREADABLE })
      else parts.push({ schema: s.type === 'array' ? s.items : (s.items[i] ?? s.rest!), value: x, at: child(at, i), depth: depth + 1, via: undefined })
    }
    this.children(parts)
  }

  private object(s: Extract<Schema, { type: 'object' }>, v: unknown, at: Path, depth: number): void {
    if (isUnreadable(v)) return this.issue(at, UNREADABLE)
    if (typeof v !== 'object' || v === null || isArray(v)) return this.fail(at, s, v)
    if (!this.enter(v, at, depth)) return
    const parts: (Visit | Finding)[] = []
    const visit = (schema: Schema, value: unknown, key: string) => parts.push({ schema, value, at: child(at, key), depth: depth + 1, via: undefined })
    for (const [key, { schema, optional }] of Object.entries(s.properties)) {
      const x = own(v, key)
      if (x === unreadable) parts.push({ at: child(at, key), message: UNREADABLE })
      else if (x !== undefined) visit(schema, x, key)
      else if (!optional) parts.push({ at: child(at, key), message: 'is required' })
    }
    if (s.additional) {
      let keys: string[] = []
      try {
        keys = Object.keys(v)
      } catch {
        parts.push({ at, message: UNREADABLE })
      }
      for (const key of keys) {
        if (Object.hasOwn(s.properties, key)) continue
        const x = own(v, key)
        if (x === unreadable) parts.push({ at: child(at, key), message: UNREADABLE })
        else visit(s.additional, x, key)
      }
    }
    this.children(parts)
  }

  private union(s: Union, v: unknown, at: Path, depth: number, via: ReadonlySet<string> | undefined): void {
    if (isUnreadable(v)) return this.issue(at, UNREADABLE)
    if (typeof v !== 'object' || v === null) {
      if (!passes(compile(s, this.defs), v, depth)) this.fail(at, s, v)
      return
    }
    const tagged = this.tagged(s, v, at)
    if (tagged === 'reported') return
    const candidates = tagged ?? s.anyOf.map((_, i) => i).filter((i) => this.canHold(s.anyOf[i]!, v))
    if (candidates.length === 0) return this.fail(at, s, v)
    // One option can take the container: the union's verdict is that option's, which its walk gives (asking
    // the check here, at every level of a recursive type, would check each subtree again and again).
    if (candidates.length > 1 && passes(compile(s, this.defs), v, depth)) return
    const chosen = candidates.length === 1 ? candidates[0]! : this.closest(s, candidates, v, depth)
    this.tasks.push({ schema: s.anyOf[chosen]!, value: v, at, depth, via })
  }

  /** The options the value's tag names, for a discriminated union; 'reported' when the tag itself is wrong. */
  private tagged(s: Union, v: unknown, at: Path): number[] | 'reported' | undefined {
    const d = discriminant(s, this.defs)
    if (!d || typeof v !== 'object' || v === null || isArray(v)) return undefined
    const tag = own(v, d.key)
    const options = tag === unreadable ? undefined : d.byValue.get(tag as never)
    if (options) return options
    if (tag === unreadable) this.issue(child(at, d.key), UNREADABLE)
    else if (tag === undefined) this.issue(child(at, d.key), 'is required')
    else this.issue(child(at, d.key), `expected ${[...d.byValue.keys()].map((value) => JSON.stringify(value)).join(' | ')}, got ${describe(tag)}`)
    return 'reported'
  }

  /** Whether an option takes containers of the value's kind: only those are worth walking into. */
  private canHold(option: Schema, v: unknown): boolean {
    if (typeof v !== 'object' || v === null) return false
    const kinds = containerKinds(option, this.defs)
    return isArray(v) ? kinds.array : kinds.object
  }

  /** The candidate whose direct parts mismatch least (the first on a tie): decided by the memoized check, one level deep. */
  private closest(s: Union, candidates: number[], v: unknown, depth: number): number {
    let best = candidates[0]!
    let fewest = Infinity
    for (const i of candidates) {
      const count = this.mismatches(s.anyOf[i]!, v, depth, new Set())
      if (count < fewest) [best, fewest] = [i, count]
    }
    return best
  }

  private mismatches(schema: Schema, v: unknown, depth: number, seen: Set<Schema>): number {
    const s = resolve(schema, this.defs)
    if (!s || seen.has(s)) return Infinity
    seen.add(s)
    const fails = (part: Schema, x: unknown) => (x === unreadable || !passes(compile(part, this.defs), x, depth + 1) ? 1 : 0)
    if (s.type === 'union') return Math.min(...s.anyOf.map((option) => this.mismatches(option, v, depth, seen)))
    if (typeof v !== 'object' || v === null || depth >= MAX_PAYLOAD_DEPTH) return Infinity
    if (s.type === 'object') {
      if (isArray(v)) return Infinity
      let count = 0
      for (const [key, p] of Object.entries(s.properties)) {
        const x = own(v, key)
        count += x === undefined ? Number(!p.optional) : fails(p.schema, x)
      }
      return count
    }
    if ((s.type !== 'array' && s.type !== 'tuple') || !isArray(v)) return Infinity
    try {
      const values = v as unknown[]
      if (s.type === 'tuple' && (values.length < s.required || (!s.rest && values.length > s.items.length))) return Infinity
      let count = 0
      for (let i = 0; i < values.length; i++) count += fails(s.type === 'array' ? s.items : (s.items[i] ?? s.rest!), values[i])
      return count
    } catch {
      return Infinity
    }
  }
}

/** A value whose very kind cannot be told (a revoked proxy). */
function isUnreadable(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false
  try {
    Array.isArray(v)
    return false
  } catch {
    return true
  }
}
