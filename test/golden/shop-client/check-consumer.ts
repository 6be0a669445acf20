// An application of the golden client: what it must accept and refuse, checked by tsc.
import { decodeFailure, Priority, Task, Topic, type TaskPayload } from './index.js'
import { mockTasks } from './testing.js'

const order: TaskPayload<'orders', 'processOrder'> = { orderId: '1', customerId: '2', items: [{ productId: 'p', quantity: 1 }], priority: Priority.High }
export const calls = [Task.orders.processOrder(order), Task.reports.cleanupExports(), Task.orders.processOrder.batch([order], { concurrency: 2 })]
// @ts-expect-error an order needs its customer
export const missing: TaskPayload<'orders', 'processOrder'> = { orderId: '1', items: [] }
// @ts-expect-error no such task
export const unknownTask = Task.orders.shipOrder
export const tasks = mockTasks()
const decoded = decodeFailure('{}')
export const stack: string | undefined = decoded.ok ? decoded.failure.stack : undefined
export const published = Topic.orderPlaced.publish({ orderId: '1', customerId: '2', total: { amount: 100, currency: 'EUR' } })
// @ts-expect-error a topic's payload is its type: the total is Money
export const wrongEvent = Topic.orderPlaced.publish({ orderId: '1', customerId: '2', total: 100 })
// @ts-expect-error no such topic
export const noTopic = Topic.orderShipped
export const queued = Task.orders.reserveStock({ orderId: '1', items: [] }, { delay: '5 minutes' })
