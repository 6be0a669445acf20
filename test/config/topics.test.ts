import { describe, expect, it } from 'vitest'
import { loadInMemory, minimalConfig, problemsOf } from '../helpers/project.js'

const T = 'stacks.orders.tasks'

function app(topics: unknown, tasks: Record<string, unknown>) {
  return minimalConfig({ topics, stacks: { orders: { tasks } } })
}

describe('topics config', () => {
  it('a typed topic with two subscribers: the model has the topic, its SNS name and its subscribers in config order', () => {
    const model = loadInMemory(
      app(
        { orderPlaced: { type: './src/events.ts#OrderPlaced' } },
        {
          sendEmail: { consumer: './src/send-email.ts', subscribe: ['orderPlaced'] },
          reserveStock: { consumer: './src/reserve-stock.ts', subscribe: ['orderPlaced'] },
          other: './src/other.ts',
        },
      ),
    )
    expect(model.topics).toEqual([
      {
        name: 'orderPlaced',
        path: 'topics.orderPlaced',
        type: { file: '/project/src/events.ts', exportName: 'OrderPlaced', written: './src/events.ts#OrderPlaced' },
        subscribers: [
          { stack: 'orders', task: 'sendEmail' },
          { stack: 'orders', task: 'reserveStock' },
        ],
        resourceName: 'shop-dev-orderPlaced',
      },
    ])
    expect(model.stacks[0]!.tasks.map((t) => t.subscribe)).toEqual([['orderPlaced'], ['orderPlaced'], []])
  })

  it("a topic without a type takes its subscribers' type", () => {
    const model = loadInMemory(app({ orderPlaced: {} }, { sendEmail: { consumer: './src/send-email.ts', subscribe: ['orderPlaced'] } }))
    expect(model.topics[0]!.type).toBeUndefined()
  })

  it('without topics the model has none', () => {
    expect(loadInMemory(minimalConfig()).topics).toEqual([])
  })

  it('reports every topic problem at once, at its path, with a suggestion for a misspelt topic', () => {
    const problems = problemsOf(
      app(
        {
          orderPlaced: { type: './src/events.ts#OrderPlaced' },
          lonely: {},
          badRef: { type: './src/events.ts' },
          'bad-name': {},
          gone: { type: './src/missing.ts#X' },
          odd: { type: 'x', extra: 1 },
        },
        {
          sendEmail: { consumer: './src/send-email.ts', subscribe: ['orderPlace', 'nothingLikeIt', 'orderPlaced', 'orderPlaced'] },
          empty: { consumer: './src/empty.ts', subscribe: [] },
          numbered: { consumer: './src/numbered.ts', subscribe: [3] },
        },
      ),
    )
    expect(problems.sort()).toEqual(
      [
        'stacks.orders.tasks.empty.subscribe: needs at least one topic; leave "subscribe" out for none',
        'stacks.orders.tasks.numbered.subscribe[0]: expected a topic name in quotes, got 3',
        `${T}.sendEmail.subscribe[0]: no topic "orderPlace"; did you mean "orderPlaced"?`,
        `${T}.sendEmail.subscribe[1]: no topic "nothingLikeIt" (declared: orderPlaced, lonely, badRef, bad-name, gone, odd)`,
        `${T}.sendEmail.subscribe[3]: subscribes to "orderPlaced" twice; each publish would run the task twice`,
        'topics["bad-name"]: a topic name must start with a letter and contain only letters, digits and underscores, got "bad-name"',
        'topics.badRef.type: must be a file and an exported type joined by "#", like "./src/events.ts#OrderPlaced", got "./src/events.ts"',
        'topics.gone.type: the type\'s file "./src/missing.ts" not found (resolved to /project/src/missing.ts)',
        'topics.lonely: topic "lonely" has no "type" and no subscriber, so nothing says what it carries; give it a "type" such as "./src/events.ts#Lonely", or subscribe a task to it',
        'topics.odd.extra: unknown key "extra" (expected one of: type)',
        'topics.odd.type: must be a file and an exported type joined by "#", like "./src/events.ts#OrderPlaced", got "x"',
      ].sort(),
    )
  })

  it('a subscription without any topics declared says where to declare them', () => {
    expect(problemsOf(app(undefined, { sendEmail: { consumer: './src/send-email.ts', subscribe: ['orderPlaced'] } }))).toEqual([
      `${T}.sendEmail.subscribe[0]: no topic "orderPlaced"; declare it under the top-level "topics"`,
    ])
  })

  it('a reserved topic name is refused', () => {
    expect(problemsOf(app({ then: { type: './src/events.ts#E' } }, { a: './src/a.ts' }))).toEqual([
      'topics.then: a topic name "then" is reserved in JavaScript; choose another name',
    ])
  })

  it('an SNS topic name over 256 characters is refused', () => {
    const long = `t${'x'.repeat(250)}`
    expect(problemsOf(app({ [long]: { type: './src/events.ts#E' } }, { a: './src/a.ts' }))).toEqual([
      `topics.${long}: the SNS topic name "shop-dev-${long}" (stage "dev") is 260 characters; AWS allows 256. Shorten the app, stage or topic name`,
    ])
  })
})
