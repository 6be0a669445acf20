import type { OrderPlaced } from '../types/order.js'

/**
 * Adds an order to the sales figures. It subscribes to orderPlaced but takes only the part of the
 * event it needs: a subscriber's payload type must accept the topic's type, which check verifies.
 */
export default async function recordSale(sale: Pick<OrderPlaced, 'orderId' | 'total'>): Promise<void> {
  console.log(JSON.stringify({ msg: 'recording a sale', orderId: sale.orderId, amount: sale.total.amount }))
}
