import type { Money } from './common.js'

export interface OrderItem {
  productId: string
  /** How many of the product; at least 1. */
  quantity: number
  unitPrice?: Money
}

export enum Priority {
  Low = 'low',
  Normal = 'normal',
  High = 'high',
}

/** The payload of the processOrder task. */
export interface ProcessOrderPayload {
  orderId: string
  customerId: string
  items: OrderItem[]
  priority?: Priority
}

/** Stock to hold for an order: the payload of the queue-backed reserveStock task. */
export interface StockReservation {
  orderId: string
  items: OrderItem[]
}

/** Published on the orderPlaced topic once an order is placed; every subscriber gets it. */
export interface OrderPlaced {
  orderId: string
  customerId: string
  total: Money
}
