import { z } from 'zod'
import { configSchema } from './schema.js'

/**
 * The JSON Schema of task-gen.json, for editors (`"$schema"`). Emitted from the zod schema so that
 * the two cannot drift; `npm run schema` writes it to schema.json and a test fails when it is stale.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' })
  return { ...schema, title: 'task-gen.json', description: 'Configuration of task-gen: typed, fire-and-forget background tasks on AWS Lambda.' }
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`
}
