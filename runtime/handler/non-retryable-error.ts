/** Marks an error as one that retrying cannot fix; found by this brand, so that copies of the class in several bundles agree. */
const BRAND = Symbol.for('task-gen.non-retryable')

/**
 * Throw it from a task handler to fail the event at once: the failure record goes to the task's
 * failure queue with condition `NonRetryable`, instead of Lambda retrying it.
 */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError'
  readonly [BRAND] = true
}

export function isNonRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true
}
