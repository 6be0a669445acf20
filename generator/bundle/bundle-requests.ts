import type { Schema, SchemaDefs } from '../../runtime/schema.js'
import type { Extraction } from '../extract/extract.js'
import { failureTaskIndex } from '../model/failure-task-index.js'
import type { Model } from '../model/model.js'
import type { BundleRequest } from './bundle-functions.js'

/** The on-failure handler's bundle key; task bundles are keyed `<stack>/<task>`. */
export const ON_FAILURE_KEY = 'on-failure'

/** One bundle per task, wrapped by the task wrapper, and the on-failure handler's, wrapped by its own. */
export function bundleRequests(model: Model, extraction: Extraction): BundleRequest[] {
  const extracted = new Map(extraction.tasks.map((t) => [`${t.stack}/${t.task}`, t]))
  const requests: BundleRequest[] = model.stacks.flatMap((stack) =>
    stack.tasks.map((task) => {
      const { exportName, schema } = extracted.get(`${task.stack}/${task.name}`)!
      const wrap = { kind: 'task' as const, spec: { stack: task.stack, task: task.name, payload: schema, defs: reachableDefs(schema, extraction.defs) } }
      return { key: `${task.stack}/${task.name}`, path: task.path, function: task.function, exportName, wrap }
    }),
  )
  if (model.onFailure && extraction.onFailureExport) {
    const wrap = { kind: 'on-failure' as const, index: failureTaskIndex(model) }
    requests.push({ key: ON_FAILURE_KEY, path: model.onFailure.path, function: model.onFailure.function, exportName: extraction.onFailureExport, wrap })
  }
  return requests
}

/** The named schemas a payload schema uses: a task's bundle carries only its own, so it changes only when they do. */
export function reachableDefs(schema: Schema, defs: SchemaDefs): SchemaDefs {
  const found = new Map<string, Schema>()
  const visit = (s: Schema): void => {
    switch (s.type) {
      case 'array':
        return visit(s.items)
      case 'tuple':
        s.items.forEach(visit)
        if (s.rest) visit(s.rest)
        return
      case 'object':
        for (const property of Object.values(s.properties)) visit(property.schema)
        if (s.additional) visit(s.additional)
        return
      case 'union':
        return s.anyOf.forEach(visit)
      case 'ref': {
        // Own properties only: a type may be named `constructor` or `__proto__`.
        const target = Object.hasOwn(defs, s.name) ? defs[s.name] : undefined
        if (target === undefined || found.has(s.name)) return
        found.set(s.name, target)
        return visit(target)
      }
      case 'unknown': case 'never': case 'string': case 'number': case 'boolean': case 'null': case 'undefined': case 'literal': case 'template':
        return
      default:
        return s satisfies never
    }
  }
  visit(schema)
  // Sorted, so the bundle does not depend on the order types were found in.
  return Object.fromEntries([...found].sort(([a], [b]) => a.localeCompare(b)))
}
