/**
 * JavaScript source that evaluates to a JSON value: `JSON.parse("…")`. In an object literal a
 * `"__proto__":` key sets the prototype instead of making a property, so emitting JSON text as a
 * literal would drop a property or type named `__proto__`; JSON.parse makes every key an own
 * property. (V8 also parses JSON faster than a literal of the same size.) The inner JSON.stringify
 * is a valid string literal: it escapes quotes, backslashes and control characters.
 */
export function jsonExpression(value: unknown): string {
  return `JSON.parse(${JSON.stringify(JSON.stringify(value))})`
}
