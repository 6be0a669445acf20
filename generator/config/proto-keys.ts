import type { z } from 'zod'
import { formatPath, type ConfigPath, type Problem, type SourceLocation } from '../errors/problem.js'
import { isObject } from './raw-tasks.js'
import { defaultMessage } from './zod-issues.js'

type Schema = z.core.$ZodType
type Locate = (path: ConfigPath) => SourceLocation | undefined

const PROTO = '__proto__'

function hasOwn(value: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(value, key)
}

/** The key's own rule applied to "__proto__": the message any other bad name of this map gets. */
function nameProblems(keyType: Schema, path: ConfigPath, locate: Locate): Problem[] {
  const location = locate(path)
  const at = { path: formatPath(path), ...(location ? { location } : {}) }
  const checked = (keyType as z.ZodType).safeParse(PROTO, { error: defaultMessage, reportInput: true })
  // A map that allowed any name would still lose this one: zod cannot hold it as an own key.
  if (checked.success) return [{ code: 'invalid_name', ...at, message: `the name "${PROTO}" cannot be used here` }]
  return checked.error.issues.map((issue) => ({ code: 'invalid_name', ...at, message: issue.message }))
}

/** Where free JSON holds a "__proto__" key, as config paths; iterative, so any depth is fine. */
function protoKeyPaths(value: unknown, path: ConfigPath): ConfigPath[] {
  const found: ConfigPath[] = []
  const pending: [unknown, ConfigPath][] = [[value, path]]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [at, where] = next
    if (Array.isArray(at)) for (const [i, item] of at.entries()) pending.push([item, [...where, i]])
    else if (isObject(at)) {
      if (hasOwn(at, PROTO)) found.push([...where, PROTO])
      for (const key of Object.keys(at)) if (key !== PROTO) pending.push([at[key], [...where, key]])
    }
  }
  return found
}

function freeJsonProblem(path: ConfigPath, locate: Locate): Problem {
  const location = locate(path)
  return { code: 'invalid_name', path: formatPath(path), ...(location ? { location } : {}), message: `the name "${PROTO}" cannot be used here` }
}

/**
 * zod's records skip a key named "__proto__" without a word (a whole stack would vanish, and
 * `check` pass); its strict objects do report it as an unknown key. This walks the value along
 * the schema and reports that key in every record the way any bad name of the record is reported.
 * The walk follows the schema, so it goes no deeper than the schema does.
 */
export function protoKeyProblems(schema: Schema, value: unknown, locate: Locate): Problem[] {
  const problems = new Map<string, Problem[]>()
  const walk = (node: Schema, at: unknown, path: ConfigPath): void => {
    const def = node._zod.def
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
        return walk((def as z.core.$ZodOptionalDef).innerType, at, path)
      case 'pipe':
        return walk((def as z.core.$ZodPipeDef).in, at, path)
      case 'union':
        for (const option of (def as z.core.$ZodUnionDef).options) walk(option, at, path)
        return
      case 'array':
        if (Array.isArray(at)) {
          for (const [i, item] of at.entries()) walk((def as z.core.$ZodArrayDef).element, item, [...path, i])
        }
        return
      case 'object': {
        if (!isObject(at)) return
        const shape = (def as z.core.$ZodObjectDef).shape
        for (const key of Object.keys(shape)) if (key !== PROTO && hasOwn(at, key)) walk(shape[key]!, at[key], [...path, key])
        return
      }
      case 'record': {
        if (!isObject(at)) return
        const { keyType, valueType } = def as z.core.$ZodRecordDef
        const keyPath = [...path, PROTO]
        // Union options can reach one record twice; its problems are reported once.
        if (hasOwn(at, PROTO)) problems.set(JSON.stringify(keyPath), nameProblems(keyType, keyPath, locate))
        for (const key of Object.keys(at)) if (key !== PROTO) walk(valueType, at[key], [...path, key])
        return
      }
      case 'unknown':
        // Free JSON (a schedule's payload): JSON.parse keeps the key, but no object literal can.
        for (const keyPath of protoKeyPaths(at, path)) problems.set(JSON.stringify(keyPath), [freeJsonProblem(keyPath, locate)])
        return
      default:
    }
  }
  walk(schema, value, [])
  return [...problems.values()].flat()
}
