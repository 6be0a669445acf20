import { describe, expect, it } from 'vitest'
import { wrapHandler, wrapOnFailure } from '../../runtime/handler/index.js'

const spec = { stack: 'orders', task: 'charge', payload: { type: 'unknown' as const }, defs: {} }
const callbackStyle = (_event: unknown, _context: unknown, callback: (error: null, result: string) => void) => callback(null, 'done')

describe('the deployed wrappers and callback-style handlers', () => {
  it('refuse a handler that takes a callback when the bundle loads, saying what to do', () => {
    const refused = 'callback-style handlers are not supported; make it async and return the result'
    expect(() => wrapHandler(callbackStyle as never, spec)).toThrow(
      `task-gen: the handler of orders.charge takes 3 parameters (event, context, callback): ${refused}`,
    )
    expect(() => wrapOnFailure(callbackStyle as never, { tasks: {} } as never)).toThrow(
      `task-gen: the handler of onFailure takes 3 parameters (event, context, callback): ${refused}`,
    )
  })

  it('take async handlers of up to two parameters, as before', async () => {
    const wrapped = wrapHandler(
      async (payload: unknown, context: { awsRequestId: string }) => ({ payload, id: context.awsRequestId }),
      spec,
      async () => {},
    )
    expect(await wrapped({ n: 1 }, { awsRequestId: 'r-1', invokedFunctionArn: 'arn' })).toEqual({ payload: { n: 1 }, id: 'r-1' })
  })
})
