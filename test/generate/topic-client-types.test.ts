import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateInto, typeCheckConsumer, type ClientProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { TOPIC_CONFIG, TOPIC_HANDLERS, writeTopicProject } from '../helpers/topic-project.js'

afterAll(removeTempDirs)

/** A topic without a type whose one subscriber takes no payload: publish() needs none. */
const CONFIG = {
  ...TOPIC_CONFIG,
  topics: { ...TOPIC_CONFIG.topics, tick: {} },
  stacks: { ...TOPIC_CONFIG.stacks, clock: { tasks: { onTick: { consumer: './src/on-tick.ts', subscribe: ['tick'] } } } },
}
const HANDLERS = { ...TOPIC_HANDLERS, 'src/on-tick.ts': 'export default async function onTick() {}\n' }

describe("Topic in the generated package's types", () => {
  let project: ClientProject

  beforeAll(async () => {
    const root = tempDir('topic-types')
    project = await generateInto(root, writeTopicProject(`${root}/project`, CONFIG, HANDLERS))
  }, 60_000)

  it("types publish with the topic's type: a right payload compiles, a wrong one and an unknown topic do not", () => {
    const good = [
      "import { Topic, TopicPublishError, type OrderPlaced, type TopicPayloads } from 'client'",
      'export async function run(event: OrderPlaced) {',
      "  const published = await Topic.orderPlaced.publish(event, { stage: 'prod' })",
      '  const arn: string = published.topicArn',
      '  await Topic.tick.publish()',
      '  return arn',
      '}',
      "export const same: TopicPayloads['orderPlaced'] extends OrderPlaced ? true : false = true",
      "export const isError = (e: unknown) => e instanceof TopicPublishError && e.code === 'PAYLOAD_TOO_LARGE'",
    ].join('\n')
    expect(typeCheckConsumer(project, good)).toEqual({ code: 0, output: '' })
    const wrong = typeCheckConsumer(
      project,
      `${good}\nexport const a = Topic.orderPlaced.publish({ orderId: 1, total: 2 })\nexport const b = Topic.orderPlaced.publish()\n// unknown topic\nexport const c = Topic.orderShipped\n`,
    )
    expect(wrong.code).not.toBe(0)
    expect(wrong.output).toContain("main.ts(10,46): error TS2322: Type 'number' is not assignable to type 'string'.")
    expect(wrong.output).toContain('main.ts(11,36): error TS2554: Expected 1-2 arguments, but got 0.')
    expect(wrong.output).toContain("main.ts(13,24): error TS2339: Property 'orderShipped' does not exist on type")
  }, 60_000)
})
