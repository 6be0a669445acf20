import type { Schema, SchemaDefs } from '../../runtime/schema.js'
import type { DeclarationEntry, ExtractContext } from './context.js'
import { structureKey } from './print-declaration.js'

/**
 * Declarations of one structure are emitted once: each later one becomes an alias of the first
 * (every name stays, and what refers to it still names it). Repeated until nothing more merges, since merging
 * makes the declarations that refer to them alike in turn (Stripe's 261 `Data`s of its events).
 */
export function mergeIdenticalDeclarations(ctx: ExtractContext): void {
  ctx.comparingStructures = true
  try {
    mergeUntilStable(ctx)
  } finally {
    ctx.comparingStructures = false
  }
}

function mergeUntilStable(ctx: ExtractContext): void {
  let open = [...ctx.entries.values()]
  for (;;) {
    const first = new Map<string, DeclarationEntry>()
    const merged: DeclarationEntry[] = []
    const keys = new Map(open.map((entry) => [entry, structureKey(ctx, entry)]))
    for (const entry of open) {
      const key = keys.get(entry)
      if (key === undefined) continue
      const earlier = first.get(key)
      if (earlier === undefined) {
        first.set(key, entry)
        continue
      }
      entry.sameAs = earlier
      merged.push(entry)
    }
    if (merged.length === 0) return
    open = open.filter((entry) => entry.sameAs === undefined)
  }
}

function renameRefs(schema: Schema, canonical: ReadonlyMap<string, string>): Schema {
  switch (schema.type) {
    case 'ref':
      return { type: 'ref', name: canonical.get(schema.name) ?? schema.name }
    case 'array':
      return { type: 'array', items: renameRefs(schema.items, canonical) }
    case 'tuple':
      return { ...schema, items: schema.items.map((s) => renameRefs(s, canonical)), ...(schema.rest ? { rest: renameRefs(schema.rest, canonical) } : {}) }
    case 'union':
      return { type: 'union', anyOf: schema.anyOf.map((s) => renameRefs(s, canonical)) }
    case 'object': {
      const properties: typeof schema.properties = Object.create(null)
      for (const [key, property] of Object.entries(schema.properties))
        properties[key] = { schema: renameRefs(property.schema, canonical), optional: property.optional }
      return schema.additional ? { type: 'object', properties, additional: renameRefs(schema.additional, canonical) } : { type: 'object', properties }
    }
    default:
      return schema
  }
}

/**
 * The validators' definitions of one structure become one (the first found), and every reference
 * names it: instantiations the declarations do not merge (`Partial<…>`, a type the checker
 * resolved) are alike as often. Repeated until nothing more merges.
 */
export function mergeIdenticalDefs(defs: SchemaDefs, payloads: readonly Schema[]): { defs: SchemaDefs; payloads: Schema[] } {
  const canonical = new Map<string, string>()
  let names = Object.keys(defs)
  for (;;) {
    const first = new Map<string, string>()
    let merged = false
    for (const name of names) {
      const key = JSON.stringify(renameRefs(defs[name]!, canonical))
      const earlier = first.get(key)
      if (earlier === undefined) first.set(key, name)
      else {
        merged = true
        canonical.set(name, earlier)
        for (const [from, to] of canonical) if (to === name) canonical.set(from, earlier)
      }
    }
    if (!merged) break
    names = names.filter((name) => !canonical.has(name))
  }
  const out: SchemaDefs = Object.create(null) as SchemaDefs
  for (const name of names) out[name] = renameRefs(defs[name]!, canonical)
  return { defs: out, payloads: payloads.map((payload) => renameRefs(payload, canonical)) }
}
