import type { Schema, SchemaDefs } from '../../runtime/schema.js'

function children(schema: Schema): Schema[] {
  switch (schema.type) {
    case 'array':
      return [schema.items]
    case 'tuple':
      return schema.rest ? [...schema.items, schema.rest] : schema.items
    case 'object':
      return [...Object.values(schema.properties).map((p) => p.schema), ...(schema.additional ? [schema.additional] : [])]
    case 'union':
      return schema.anyOf
    default:
      return []
  }
}

/**
 * The named schemas one payload's validator can reach. Why: each task's bundle embeds its
 * validator; embedding every task's definitions would make each bundle grow with the app, and
 * synth quadratic in the number of tasks.
 */
export function reachableDefs(schema: Schema, defs: SchemaDefs): SchemaDefs {
  const reached: SchemaDefs = {}
  const pending: Schema[] = [schema]
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.type === 'ref' && !(next.name in reached) && defs[next.name]) {
      reached[next.name] = defs[next.name]!
      pending.push(defs[next.name]!)
    }
    pending.push(...children(next))
  }
  // Sorted by name: the same payload gives the same bundle bytes whatever order it was reached in.
  return Object.fromEntries(Object.entries(reached).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
