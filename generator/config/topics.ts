import { z } from 'zod'
import { describeValue } from '../errors/describe-value.js'
import { strictObject } from './fields.js'

/**
 * Topics: app-wide SNS topics that tasks subscribe to. A topic's `type` names the payload type
 * every subscriber must accept; without one, the subscribers' own type is the topic's.
 */

/** `./src/events.ts#OrderPlaced`: a file, relative to task-gen.json, and the name of a type it exports. */
export const TYPE_REFERENCE = /^(.+)#([A-Za-z_$][\w$]*)$/

export function parseTypeReference(text: string): { file: string; exportName: string } | undefined {
  const match = TYPE_REFERENCE.exec(text)
  return match ? { file: match[1]!, exportName: match[2]! } : undefined
}

const typeReference = z
  .string({ error: (issue) => `expected a type reference like "./src/events.ts#OrderPlaced" in quotes, got ${describeValue(issue.input)}` })
  .refine((text) => TYPE_REFERENCE.test(text), {
    error: (issue) => `must be a file and an exported type joined by "#", like "./src/events.ts#OrderPlaced", got ${describeValue(issue.input)}`,
  })
  .describe(
    'The payload type of the topic: a file relative to task-gen.json, "#", and a type (interface, type alias, class or enum) it exports. @default the payload type of its subscribers',
  )

const topic = strictObject({ type: typeReference.optional() }).describe(
  'An SNS topic: { type }. Its name is the property on the client: Topic.<topic>.publish(payload).',
)

/** `name` is the schema's property-name rule (a topic is a property of the client), passed in to keep this module below schema.ts. */
export const topics = (name: z.ZodType<string>) =>
  z
    .record(name, topic)
    .describe(
      'App-wide SNS topics, by name. Tasks subscribe with "subscribe": [<topic>]; each publish runs every subscriber once (asynchronously, with its retries and failure queue). @example { "orderPlaced": { "type": "./src/events.ts#OrderPlaced" } }',
    )

export const subscribe = z
  .array(z.string({ error: (issue) => `expected a topic name in quotes, got ${describeValue(issue.input)}` }))
  .min(1, { error: 'needs at least one topic; leave "subscribe" out for none' })
  .describe('The topics (names under the top-level "topics") whose every publish runs this task. @example ["orderPlaced"]')

export type TopicConfig = z.output<typeof topic>
