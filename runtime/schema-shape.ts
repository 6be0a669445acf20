import type { Schema, SchemaDefs } from './schema.js'

/** The def of that name: own properties only, so a name such as `constructor` is never Object.prototype's. */
export function ownDef(defs: SchemaDefs, name: string): Schema | undefined {
  return Object.hasOwn(defs, name) ? defs[name] : undefined
}

/** The first schema past a chain of refs; undefined for a missing def or a chain that comes back on itself. */
export function resolve(schema: Schema, defs: SchemaDefs): Schema | undefined {
  const seen = new Set<string>()
  let s: Schema | undefined = schema
  while (s?.type === 'ref') {
    if (seen.has(s.name)) return undefined
    seen.add(s.name)
    s = ownDef(defs, s.name)
  }
  return s
}

/** The kinds of containers a schema can accept at its top level (`unknown` takes both). */
export function containerKinds(schema: Schema, defs: SchemaDefs, seen = new Set<Schema>()): { object: boolean; array: boolean } {
  const s = resolve(schema, defs)
  if (!s || seen.has(s)) return { object: false, array: false }
  seen.add(s)
  switch (s.type) {
    case 'unknown':
      return { object: true, array: true }
    case 'object':
      return { object: true, array: false }
    case 'array':
    case 'tuple':
      return { object: false, array: true }
    case 'union': {
      const kinds = s.anyOf.map((option) => containerKinds(option, defs, seen))
      return { object: kinds.some((k) => k.object), array: kinds.some((k) => k.array) }
    }
    default:
      return { object: false, array: false }
  }
}

type Literal = string | number | boolean

/** The literal values a schema is one of (`'a'`, `'a' | 'b'`, an enum), or undefined when it is not only literals. */
function literalsOf(schema: Schema, defs: SchemaDefs): Literal[] | undefined {
  const s = resolve(schema, defs)
  if (s?.type === 'literal') return [s.value]
  if (s?.type !== 'union') return undefined
  const values: Literal[] = []
  for (const option of s.anyOf) {
    const r = resolve(option, defs)
    if (r?.type !== 'literal') return undefined
    values.push(r.value)
  }
  return values
}

/**
 * A union dispatched on a literal property (`kind: 'a' | 'b'`): which options each value of the
 * property can match, and the options that cannot accept a plain object at all (`null`, a string).
 */
export interface Discriminant {
  key: string
  byValue: Map<Literal, number[]>
  /** Indexes of the options that take no plain object. */
  others: number[]
}

function requiredLiterals(object: Extract<Schema, { type: 'object' }>, key: string, defs: SchemaDefs): Literal[] | undefined {
  if (!Object.hasOwn(object.properties, key)) return undefined
  const property = object.properties[key]!
  return property.optional ? undefined : literalsOf(property.schema, defs)
}

/** The union's discriminant, when its object options (two or more) all have the same required literal property. */
export function discriminantOf(union: Extract<Schema, { type: 'union' }>, defs: SchemaDefs): Discriminant | undefined {
  const objects: { index: number; schema: Extract<Schema, { type: 'object' }> }[] = []
  const others: number[] = []
  for (const [index, option] of union.anyOf.entries()) {
    const s = resolve(option, defs)
    if (s?.type === 'object') objects.push({ index, schema: s })
    else if (s && !containerKinds(s, defs).object) others.push(index)
    else return undefined
  }
  if (objects.length < 2) return undefined
  const key = Object.keys(objects[0]!.schema.properties).find((k) => objects.every((o) => requiredLiterals(o.schema, k, defs)))
  if (key === undefined) return undefined
  const byValue = new Map<Literal, number[]>()
  for (const { index, schema } of objects) {
    for (const value of requiredLiterals(schema, key, defs)!) byValue.set(value, [...(byValue.get(value) ?? []), index])
  }
  return { key, byValue, others }
}
