import type { Config } from '../config/schema.js'
import type { ConfigPath, Problem, SourceLocation } from '../errors/problem.js'
import { formatPath } from '../errors/problem.js'

/** Lambda runtimes task-gen still takes, that AWS has deprecated, with the date (AWS's Lambda runtimes page). */
const DEPRECATED: Record<string, string> = { 'nodejs20.x': '2026-04-30' }

/** Every place the config names a runtime, with what it names. */
function runtimePlaces(config: Config): { path: ConfigPath; runtime: string | undefined }[] {
  const consumer = (value: unknown, path: ConfigPath) =>
    typeof value === 'object' && value !== null ? [{ path: [...path, 'runtime'], runtime: (value as { runtime?: string }).runtime }] : []
  return [
    { path: ['defaults', 'function', 'runtime'], runtime: config.defaults?.function?.runtime },
    ...consumer(config.onFailure, ['onFailure']),
    ...Object.entries(config.stacks).flatMap(([stack, body]) =>
      Object.entries(body.tasks).flatMap(([task, value]) => {
        const path = ['stacks', stack, 'tasks', task]
        return typeof value === 'object' && 'consumer' in value ? consumer(value.consumer, [...path, 'consumer']) : consumer(value, path)
      }),
    ),
  ]
}

/** A warning per place the config names a deprecated runtime: it still deploys, for now. */
export function deprecatedRuntimeWarnings(config: Config, locate: (path: ConfigPath) => SourceLocation | undefined): Problem[] {
  return runtimePlaces(config).flatMap(({ path, runtime }) => {
    const since = runtime === undefined ? undefined : DEPRECATED[runtime]
    if (since === undefined) return []
    const location = locate(path)
    const message = `${runtime} is deprecated since ${since} (Node 20 reached its end of life): AWS no longer patches it and will refuse to create, then to update, its functions; use "nodejs22.x"`
    return [{ code: 'deprecated_runtime' as const, path: formatPath(path), message, ...(location ? { location } : {}) }]
  })
}
