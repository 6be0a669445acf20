export interface Customer {
  id: string
  email: string
  name?: string
}

export interface Receipt {
  orderId: string
  customer: Customer
  total: import('./common.js').Money
  /** Where the receipt is delivered. */
  channel: { kind: 'email' } | { kind: 'sms'; phone: string }
}
