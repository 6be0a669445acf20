/**
 * The wrappers await the handler's promise and pass no callback, so a callback-style handler
 * `(event, context, callback)` would never answer. `check` refuses one at its source; this says
 * so at load time too, for a handler whose parameters the types did not show (plain JavaScript).
 */
export function refuseCallbackHandler(handler: (...args: never[]) => unknown, name: string): void {
  if (handler.length < 3) return
  throw new TypeError(
    `task-gen: the handler of ${name} takes ${handler.length} parameters (event, context, callback): callback-style handlers are not supported; make it async and return the result`,
  )
}
