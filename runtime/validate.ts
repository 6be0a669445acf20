import type { Schema, SchemaDefs } from './schema.js'

/** One reason a value does not match its schema, at a path such as `payload.items[0].quantity`. */
export interface ValidationIssue {
  path: string
  message: string
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (not representable in JSON)`
  return typeof value === 'undefined' ? 'undefined' : `${typeof value} ${String(value)}`
}

function expected(schema: Schema, defs: SchemaDefs): string {
  switch (schema.type) {
    case 'literal':
      return JSON.stringify(schema.value)
    case 'ref':
      return expected(defs[schema.name] ?? { type: 'unknown' }, defs)
    case 'union':
      return schema.anyOf.map((s) => expected(s, defs)).join(' | ')
    case 'object':
      return 'an object'
    case 'array':
    case 'tuple':
      return 'an array'
    default:
      return schema.type
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const member = (path: string, key: string) => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`)

/** A path, spelled out only when an issue needs it: a valid payload (the common case) builds no strings. */
type Path = () => string

/** Where a detailed walk reports: every issue, with its path and message. */
interface Sink {
  issue(at: Path, message: () => string): void
}

function collecting(issues: ValidationIssue[]): Sink {
  return { issue: (at, message) => void issues.push({ path: at(), message: message() }) }
}

function walk(schema: Schema, defs: SchemaDefs, value: unknown, path: Path, sink: Sink): void {
  const fail = (at: Path, s: Schema, v: unknown): void => sink.issue(at, () => `expected ${expected(s, defs)}, got ${describe(v)}`)
  const item = (at: Path, i: number): Path => () => `${at()}[${i}]`
  const property = (at: Path, key: string): Path => () => member(at(), key)

  const visit = (s: Schema, v: unknown, at: Path): void => {
    switch (s.type) {
      case 'unknown':
        return
      case 'never':
        return fail(at, s, v)
      case 'string':
      case 'boolean':
      case 'undefined':
        if (typeof v !== s.type) fail(at, s, v)
        return
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, s, v)
        return
      case 'null':
        if (v !== null) fail(at, s, v)
        return
      case 'literal':
        if (v !== s.value) fail(at, s, v)
        return
      case 'ref': {
        const target = defs[s.name]
        if (!target) throw new Error(`task-gen: the validator has no schema named ${s.name}`)
        return visit(target, v, at)
      }
      case 'array':
        if (!Array.isArray(v)) return fail(at, s, v)
        v.forEach((x, i) => visit(s.items, x, item(at, i))) // forEach, as the compiled check's every(): holes are skipped alike
        return
      case 'tuple': {
        if (!Array.isArray(v)) return fail(at, s, v)
        const max = s.rest ? Infinity : s.items.length
        if (v.length < s.required || v.length > max) {
          sink.issue(at, () => `expected ${s.required === max ? s.required : `${s.required} to ${max}`} items, got ${v.length}`)
          return
        }
        v.forEach((x, i) => visit(s.items[i] ?? s.rest!, x, item(at, i)))
        return
      }
      case 'object': {
        if (!isPlainObject(v)) return fail(at, s, v)
        for (const key in s.properties) {
          const { schema: propertySchema, optional } = s.properties[key]!
          const present = Object.hasOwn(v, key) && v[key] !== undefined
          if (present) visit(propertySchema, v[key], property(at, key))
          else if (!optional) sink.issue(property(at, key), () => 'is required')
        }
        if (s.additional) {
          for (const key in v) {
            if (Object.hasOwn(v, key) && !Object.hasOwn(s.properties, key)) visit(s.additional, v[key], property(at, key))
          }
        }
        return
      }
      case 'union': {
        // Cheap first: an option that matches ends it, and no message is built.
        if (s.anyOf.some((option) => passes(option, defs, v))) return
        const here = at()
        const attempts = s.anyOf.map((option) => validate(option, defs, v, here))
        // Report the option that got furthest (the fewest issues, past the top level) when the
        // value had its shape, else one line listing what was expected.
        const deep = attempts.filter((a) => a.every((issue) => issue.path !== here))
        if (deep.length > 0) for (const issue of deep.reduce((a, b) => (b.length < a.length ? b : a))) sink.issue(() => issue.path, () => issue.message)
        else fail(at, s, v)
        return
      }
      default: {
        const never: never = s
        throw new Error(`task-gen: unknown schema ${JSON.stringify(never)}`)
      }
    }
  }

  visit(schema, value, path)
}

/** A compiled yes/no check: the same verdict as a walk, without the switch and the bookkeeping. */
type Check = (value: unknown) => boolean

const compiledByDefs = new WeakMap<SchemaDefs, WeakMap<Schema, Check>>()

/** Compiles a schema into nested closures once per schema object (the client's manifest is built once). */
function compile(schema: Schema, defs: SchemaDefs): Check {
  let cache = compiledByDefs.get(defs)
  if (!cache) compiledByDefs.set(defs, (cache = new WeakMap()))
  let check = cache.get(schema)
  if (!check) cache.set(schema, (check = build(schema, defs)))
  return check
}

function build(s: Schema, defs: SchemaDefs): Check {
  switch (s.type) {
    case 'unknown':
      return () => true
    case 'never':
      return () => false
    case 'string':
    case 'boolean':
    case 'undefined': {
      const type = s.type
      return (v) => typeof v === type
    }
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v)
    case 'null':
      return (v) => v === null
    case 'literal': {
      const literal = s.value
      return (v) => v === literal
    }
    case 'ref': {
      // Resolved on first use: a recursive type refers to itself.
      let target: Check | undefined
      return (v) => {
        if (!target) {
          const def = defs[s.name]
          if (!def) throw new Error(`task-gen: the validator has no schema named ${s.name}`)
          target = compile(def, defs)
        }
        return target(v)
      }
    }
    case 'array': {
      const item = compile(s.items, defs)
      return (v) => Array.isArray(v) && v.every((x) => item(x))
    }
    case 'tuple': {
      const items = s.items.map((item) => compile(item, defs))
      const rest = s.rest ? compile(s.rest, defs) : undefined
      const max = rest ? Infinity : items.length
      return (v) => Array.isArray(v) && v.length >= s.required && v.length <= max && v.every((x, i) => (items[i] ?? rest!)(x))
    }
    case 'object': {
      const properties = Object.entries(s.properties).map(([key, p]) => ({ key, optional: p.optional, check: compile(p.schema, defs) }))
      const additional = s.additional ? compile(s.additional, defs) : undefined
      return (v) => {
        if (!isPlainObject(v)) return false
        for (const { key, optional, check } of properties) {
          if (Object.hasOwn(v, key) && v[key] !== undefined) {
            if (!check(v[key])) return false
          } else if (!optional) return false
        }
        if (additional) {
          for (const key in v) if (Object.hasOwn(v, key) && !Object.hasOwn(s.properties, key) && !additional(v[key])) return false
        }
        return true
      }
    }
    case 'union': {
      const options = s.anyOf.map((option) => compile(option, defs))
      return (v) => options.some((option) => option(v))
    }
    default: {
      const never: never = s
      throw new Error(`task-gen: unknown schema ${JSON.stringify(never)}`)
    }
  }
}

function passes(schema: Schema, defs: SchemaDefs, value: unknown): boolean {
  return compile(schema, defs)(value)
}

/**
 * Checks `value` against `schema` and returns every issue (none: it matches). Extra object
 * properties are allowed, as TypeScript allows them on values that are not object literals.
 */
export function validate(schema: Schema, defs: SchemaDefs, value: unknown, path = 'payload'): ValidationIssue[] {
  // Most values match: the compiled check says so without a path or message; only a mismatch walks again for the details.
  if (passes(schema, defs, value)) return []
  const issues: ValidationIssue[] = []
  walk(schema, defs, value, () => path, collecting(issues))
  return issues
}
