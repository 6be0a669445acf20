import type { Schema, SchemaDefs } from '../../runtime/schema.js'
import type { Extraction } from '../extract/extract.js'
import { failureTaskIndex } from '../model/failure-task-index.js'
import type { Model, TaskModel } from '../model/model.js'
import { taskKey } from '../../runtime/names.js'
import type { BundleRequest } from './bundle-functions.js'
import type { IdempotencySpec } from '../../runtime/handler/idempotency.js'

/** The on-failure handler's bundle key; task bundles are keyed by `taskKey`. */
export const ON_FAILURE_KEY = 'on-failure'

/** One bundle per task, wrapped by the task wrapper, and the on-failure handler's, wrapped by its own. */
export function bundleRequests(model: Model, extraction: Extraction): BundleRequest[] {
  // In the model's order: extraction keeps it, and the stacks are synthesized in it.
  const requests: BundleRequest[] = extraction.tasks.map(({ model: task, exportName, schema }) => {
    const wrap = {
      kind: 'task' as const,
      spec: {
        stack: task.stack,
        task: task.name,
        payload: schema,
        defs: reachableDefs(schema, extraction.defs),
        ...(task.queue ? { maxReceives: task.queue.maxReceives } : {}),
        ...(task.idempotency ? { idempotency: idempotencySpec(task) } : {}),
      },
    }
    return { key: taskKey(task.stack, task.name), task, path: task.path, function: task.function, exportName, wrap }
  })
  if (model.onFailure && extraction.onFailureExport) {
    const wrap = { kind: 'on-failure' as const, index: failureTaskIndex(model) }
    requests.push({
      key: ON_FAILURE_KEY,
      task: undefined,
      path: model.onFailure.path,
      function: model.onFailure.function,
      exportName: extraction.onFailureExport,
      wrap,
    })
  }
  return requests
}

/** A claim outlives the function's timeout by this much before another run may take its key: clocks and start-up differ a little. */
const CLAIM_MARGIN_SECONDS = 30

function idempotencySpec(task: TaskModel): IdempotencySpec {
  return { windowSeconds: task.idempotency!.windowSeconds, lockSeconds: task.function.timeoutSeconds + CLAIM_MARGIN_SECONDS }
}

/** What a request was built for: a bundle and a dev build carry their request's task. */
export interface BuiltFor {
  /** The task whose function it is; undefined: the on-failure handler's. */
  task: TaskModel | undefined
}

/** The builds of an app's functions, each task's joined with its task, the on-failure handler's apart. */
export function splitBuilds<T extends BuiltFor>(builds: Iterable<T>): { tasks: (T & { task: TaskModel })[]; onFailure: T | undefined } {
  const tasks: (T & { task: TaskModel })[] = []
  let onFailure: T | undefined
  for (const build of builds) {
    if (build.task) tasks.push(build as T & { task: TaskModel })
    else onFailure = build
  }
  return { tasks, onFailure }
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
      case 'unknown':
      case 'never':
      case 'string':
      case 'number':
      case 'boolean':
      case 'null':
      case 'undefined':
      case 'literal':
      case 'template':
        return
      default:
        return s satisfies never
    }
  }
  visit(schema)
  // Sorted, so the bundle does not depend on the order types were found in.
  return Object.fromEntries([...found].sort(([a], [b]) => a.localeCompare(b)))
}
