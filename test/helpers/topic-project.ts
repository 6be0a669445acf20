import { writeProject } from './client-project.js'

/** An app with one typed topic, `orderPlaced`, and two subscribers in two stacks; `orders.placeOrder` subscribes to nothing. */
export const TOPIC_CONFIG = {
  app: 'shop',
  region: 'us-east-1',
  topics: { orderPlaced: { type: './src/events.ts#OrderPlaced' } },
  stacks: {
    orders: {
      tasks: {
        sendEmail: { consumer: './src/send-email.ts', subscribe: ['orderPlaced'], retryAttempts: 1 },
        placeOrder: './src/place-order.ts',
      },
    },
    shipping: { tasks: { reserveStock: { consumer: './src/reserve-stock.ts', subscribe: ['orderPlaced'] } } },
  },
}

export const TOPIC_HANDLERS = {
  'src/events.ts': 'export interface OrderPlaced { orderId: string; total: number }\n',
  'src/send-email.ts':
    "import type { OrderPlaced } from './events.js'\nexport default async function sendEmail(event: OrderPlaced) {\n  console.log(JSON.stringify({ sendEmail: event }))\n  if (event.orderId === 'fail') throw new Error('cannot send')\n}\n",
  'src/reserve-stock.ts':
    'export default async function reserveStock(event: { orderId: string }) {\n  console.log(JSON.stringify({ reserveStock: event }))\n}\n',
  'src/place-order.ts': 'export default async function placeOrder(order: { id: string }) {}\n',
}

/** Writes the topic app into `dir`; returns its config file. */
export function writeTopicProject(dir: string, config: Record<string, unknown> = TOPIC_CONFIG, handlers: Record<string, string> = TOPIC_HANDLERS): string {
  return writeProject(dir, config, handlers)
}
