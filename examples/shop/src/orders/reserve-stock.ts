import type { StockReservation } from '../types/order.js'

/**
 * Holds stock for an order. Its calls are messages on the task's own queue, read in batches: a
 * message whose call throws is received again, up to the queue's maxReceives, while the rest of its
 * batch is done.
 */
export default async function reserveStock(reservation: StockReservation): Promise<void> {
  const invalid = reservation.items.find((item) => item.quantity < 1)
  if (invalid) throw new Error(`order ${reservation.orderId}: cannot reserve ${invalid.quantity} of ${invalid.productId}`)
  console.log(JSON.stringify({ msg: 'reserving stock', orderId: reservation.orderId, items: reservation.items.length }))
}
