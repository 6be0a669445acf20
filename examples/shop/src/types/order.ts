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
