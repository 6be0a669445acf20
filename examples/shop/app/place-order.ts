import { Task, Priority, type TaskPayload } from '@shop/tasks'

const order: TaskPayload<'orders', 'processOrder'> = { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }], priority: Priority.High }

await Task.orders.processOrder(order) // resolves once Lambda accepted the event
await Task.reports.cleanupExports() // a task whose handler takes no payload
await Task.orders.processOrder(order, { validate: false }) // per-call options: stage, validate, client
