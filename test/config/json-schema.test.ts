import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configJsonSchema, configJsonSchemaText } from '../../generator/config/json-schema.js'

describe('schema.json', () => {
  it('is the JSON Schema emitted from the zod schema (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(new URL('../../schema.json', import.meta.url), 'utf8')
    expect(committed).toBe(configJsonSchemaText())
  })

  it('describes the config for editors: required keys, strict objects, size patterns', () => {
    const schema = configJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> }
    expect(schema.required).toEqual(['app', 'region', 'stacks'])
    expect(schema.additionalProperties).toBe(false)
    const text = JSON.stringify(schema)
    expect(text).toContain('"pattern":"^\\\\d+ (B|KB|MB|GB)$"')
    expect(text).toContain('retryAttempts')
    expect(text).toContain('"maximum":2')
  })
})
