import type { Receipt } from '../types/customer.js'

const apiKey = process.env.PAYMENT_API_KEY

export const handler = async (receipt: Receipt): Promise<void> => {
  const to = receipt.channel.kind === 'email' ? receipt.customer.email : receipt.channel.phone
  console.log(JSON.stringify({ msg: 'sending receipt', orderId: receipt.orderId, to, keyConfigured: apiKey !== undefined }))
}
