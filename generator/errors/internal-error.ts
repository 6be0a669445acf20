/** Anything thrown that is not a user, usage or environment error: a bug in task-gen. */
export function describeInternalError(error: unknown): string {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  return `task-gen: internal error (a bug in task-gen, please report it):\n${detail}`
}
