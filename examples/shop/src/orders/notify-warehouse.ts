import type { OrderPlaced } from '../types/order.js'

/** Tells the warehouse about a new order; subscribes to the orderPlaced topic. */
export default async function notifyWarehouse(event: OrderPlaced): Promise<void> {
  console.log(JSON.stringify({ msg: 'notifying the warehouse', orderId: event.orderId }))
}
