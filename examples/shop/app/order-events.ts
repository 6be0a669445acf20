import { Task, Topic } from '@shop/tasks'

// A queue-backed task: the call is an SQS message to the task's own queue.
await Task.orders.reserveStock({ orderId: '123', items: [{ productId: 'abc', quantity: 2 }] })
// A topic: one publish runs every subscriber (orders.notifyWarehouse and reports.recordSale).
await Topic.orderPlaced.publish({ orderId: '123', customerId: '456', total: { amount: 1999, currency: 'EUR' } })
