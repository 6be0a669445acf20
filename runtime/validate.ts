import type { Schema, SchemaDefs } from './schema.js'
import { begin, compile, end, MAX_PAYLOAD_DEPTH, passes } from './schema-check.js'
import { MAX_ISSUES, Walk } from './validation-walk.js'

export { MAX_ISSUES, MAX_PAYLOAD_DEPTH }

/** One reason a value does not match its schema, at a path such as `payload.items[0].quantity`. */
export interface ValidationIssue {
  path: string
  message: string
}

const CHANGED = 'does not match its type (a getter or proxy gave different values when read again)'

/** Where every issue's path starts: the value checked is the payload. */
const ROOT = 'payload'

/**
 * Checks `value` against `schema` and returns its issues (none: it matches); never throws for any
 * value (a schema that refers to a missing def is a bug, and throws). Linear in the value's size
 * (times the schema's): unions with a literal tag are dispatched on it, and once a union has had to
 * try a second option on a container, each (union, value) pair is decided once. Nesting past MAX_PAYLOAD_DEPTH,
 * a cycle, or a getter or proxy that throws is an issue with its path. Every property name is data:
 * only the value's own properties count, as only those are sent. Extra object properties are
 * allowed, as TypeScript allows them on values that are not object literals. At most MAX_ISSUES
 * issues are listed.
 */
export function validate(schema: Schema, defs: SchemaDefs, value: unknown): ValidationIssue[] {
  // Most values match: the compiled check says so without a path or message; only a mismatch walks again for the details.
  if (checkPasses(schema, defs, value)) return []
  const { issues, truncated } = walkIssues(schema, defs, value)
  // The check said no, so the answer is no: an empty walk (a getter answered differently the second time,
  // or the two disagree, which the agreement test rules out for every corpus) still yields an issue.
  if (issues.length === 0) return [{ path: ROOT, message: CHANGED }]
  if (truncated) issues.push({ path: ROOT, message: `has more issues; only the first ${MAX_ISSUES} are listed` })
  return issues
}

/** The compiled yes/no check alone. */
export function checkPasses(schema: Schema, defs: SchemaDefs, value: unknown): boolean {
  const check = compile(schema, defs)
  const fast = begin(false)
  try {
    return passes(check, value, 0)
  } finally {
    end(fast)
  }
}

/** The detailed walk alone: every issue it finds, without the check's verdict. */
export function walkIssues(schema: Schema, defs: SchemaDefs, value: unknown): { issues: ValidationIssue[]; truncated: boolean } {
  const walk = new Walk(defs)
  const slow = begin(true)
  try {
    walk.run(schema, value, { parent: undefined, step: ROOT })
  } finally {
    end(slow)
  }
  return { issues: walk.issues, truncated: walk.truncated }
}
