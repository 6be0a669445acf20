import { describe, expect, it } from 'vitest'
import { loadInMemory, minimalConfig, problemsOf } from '../helpers/project.js'

const Q = 'stacks.orders.tasks.processOrder.queue'

function withQueue(queue: unknown, consumer: unknown = './src/process-order.ts', defaults?: unknown) {
  return minimalConfig({ ...(defaults ? { defaults } : {}), stacks: { orders: { tasks: { processOrder: { consumer, queue } } } } })
}

function queueOf(config: Record<string, unknown>) {
  return loadInMemory(config).stacks[0]!.tasks[0]!.queue
}

describe('queue config', () => {
  it('an empty queue takes the defaults: batch of 10, no window, 5 receives, six times the timeout visible, 4 days kept, standard', () => {
    expect(queueOf(withQueue({}))).toEqual({
      path: Q,
      name: 'shop-dev-orders-processOrder-queue',
      fifo: false,
      batchSize: 10,
      batchWindowSeconds: 0,
      maxConcurrency: undefined,
      maxReceives: 5,
      visibilityTimeoutSeconds: 180,
      retentionSeconds: 345_600,
      deadLetterName: undefined,
    })
  })

  it('every option as written, in AWS units', () => {
    const queue = { batchSize: 500, batchWindow: '5 seconds', maxConcurrency: 5, maxReceives: 3, visibilityTimeout: '2 minutes', retention: '14 days' }
    expect(queueOf(withQueue(queue))).toMatchObject({
      batchSize: 500,
      batchWindowSeconds: 5,
      maxConcurrency: 5,
      maxReceives: 3,
      visibilityTimeoutSeconds: 120,
      retentionSeconds: 1_209_600,
    })
  })

  it("the default visibility timeout follows the function's timeout (from defaults.function too) and the batch window", () => {
    expect(queueOf(withQueue({ batchWindow: '10 seconds' }, { code: './src/process-order.ts', timeout: '1 minute' }))!.visibilityTimeoutSeconds).toBe(370)
    expect(queueOf(withQueue({}, './src/process-order.ts', { function: { timeout: '2 minutes' } }))!.visibilityTimeoutSeconds).toBe(720)
  })

  it('FIFO: a .fifo name and a FIFO dead-letter queue', () => {
    expect(queueOf(withQueue({ fifo: true, batchSize: 10 }))).toMatchObject({
      fifo: true,
      name: 'shop-dev-orders-processOrder-queue.fifo',
      deadLetterName: 'shop-dev-orders-processOrder-queue-dlq.fifo',
    })
  })

  it('a task without queue has none', () => {
    expect(loadInMemory(minimalConfig()).stacks[0]!.tasks[0]!.queue).toBeUndefined()
  })

  it.each<[string, unknown, string[]]>([
    ['a batch of 0', { batchSize: 0 }, [`${Q}.batchSize: must be an integer from 1 to 10000, got 0`]],
    ['a batch above 10,000', { batchSize: 10_001, batchWindow: '1 second' }, [`${Q}.batchSize: must be an integer from 1 to 10000, got 10001`]],
    ['a fractional batch', { batchSize: 2.5 }, [`${Q}.batchSize: must be an integer from 1 to 10000, got 2.5`]],
    [
      'a batch above 10 without a window',
      { batchSize: 11 },
      [`${Q}.batchSize: a batch of more than 10 messages needs a "batchWindow" of at least "1 second" (Lambda requires it), got batchSize 11`],
    ],
    [
      'a batch above 10 with a window of 0',
      { batchSize: 100, batchWindow: '0 seconds' },
      [`${Q}.batchSize: a batch of more than 10 messages needs a "batchWindow" of at least "1 second" (Lambda requires it), got batchSize 100`],
    ],
    ['a window above 5 minutes', { batchWindow: '301 seconds' }, [`${Q}.batchWindow: must be from 0 seconds to 5 minutes, got "301 seconds"`]],
    ['a FIFO batch above 10', { fifo: true, batchSize: 11 }, [`${Q}.batchSize: a FIFO queue's batch is at most 10 messages, got 11`]],
    [
      'a FIFO batch window',
      { fifo: true, batchWindow: '5 seconds' },
      [`${Q}.batchWindow: Lambda has no batch window for FIFO queues; leave "batchWindow" out`],
    ],
    ['a concurrency of 1', { maxConcurrency: 1 }, [`${Q}.maxConcurrency: must be an integer from 2 to 1000, got 1`]],
    ['a concurrency above 1,000', { maxConcurrency: 1001 }, [`${Q}.maxConcurrency: must be an integer from 2 to 1000, got 1001`]],
    ['0 receives', { maxReceives: 0 }, [`${Q}.maxReceives: must be an integer from 1 to 1000, got 0`]],
    ['a visibility timeout above 12 hours', { visibilityTimeout: '13 hours' }, [`${Q}.visibilityTimeout: must be from 0 seconds to 12 hours, got "13 hours"`]],
    [
      "a visibility timeout below the function's timeout",
      { visibilityTimeout: '10 seconds' },
      [
        `${Q}.visibilityTimeout: must be at least the function's timeout (30 seconds), got "10 seconds": a message would be received again while its first run still works on it`,
      ],
    ],
    ['a retention below 1 minute', { retention: '59 seconds' }, [`${Q}.retention: must be from 1 minute to 14 days, got "59 seconds"`]],
    ['a retention above 14 days', { retention: '15 days' }, [`${Q}.retention: must be from 1 minute to 14 days, got "15 days"`]],
    ['fifo as a string', { fifo: 'yes' }, [`${Q}.fifo: must be true or false, got "yes"`]],
    ['an unknown key', { batchsize: 5 }, [`${Q}.batchsize: unknown key "batchsize"; did you mean "batchSize"?`]],
    ['a string', '10', [`${Q}: expected object, got "10"`]],
  ])('refuses %s, at its config path', (_name, queue, expected) => {
    expect(problemsOf(withQueue(queue))).toEqual(expected)
  })

  it('the visibility timeout is checked against defaults.function.timeout too', () => {
    expect(problemsOf(withQueue({ visibilityTimeout: '1 minute' }, './src/process-order.ts', { function: { timeout: '2 minutes' } }))).toEqual([
      `${Q}.visibilityTimeout: must be at least the function's timeout (2 minutes), got "1 minute": a message would be received again while its first run still works on it`,
    ])
  })

  it('reports every problem at once', () => {
    const config = minimalConfig({
      stacks: {
        orders: {
          tasks: {
            processOrder: {
              consumer: './src/process-order.ts',
              queue: { batchSize: 0, maxConcurrency: 1, retention: '1 year', visibilityTimeout: '1 second' },
            },
            other: { consumer: './src/other.ts', queue: { fifo: true, batchSize: 50, batchWindow: '2 seconds' } },
          },
        },
      },
    })
    expect(problemsOf(config).sort()).toEqual(
      [
        `${Q}.batchSize: must be an integer from 1 to 10000, got 0`,
        `${Q}.maxConcurrency: must be an integer from 2 to 1000, got 1`,
        `${Q}.retention: expected a duration like "30 seconds" (an integer, a space, and second(s), minute(s), hour(s) or day(s)), got "1 year"`,
        `${Q}.visibilityTimeout: must be at least the function's timeout (30 seconds), got "1 second": a message would be received again while its first run still works on it`,
        "stacks.orders.tasks.other.queue.batchSize: a FIFO queue's batch is at most 10 messages, got 50",
        'stacks.orders.tasks.other.queue.batchWindow: Lambda has no batch window for FIFO queues; leave "batchWindow" out',
      ].sort(),
    )
  })
})
