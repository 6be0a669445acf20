// Writes schema.json from the zod schema. Run with `npm run schema` (after `npm run build`).
import { writeFileSync } from 'node:fs'
import { configJsonSchemaText } from '../generator/config/json-schema.js'

writeFileSync(new URL('../../schema.json', import.meta.url), configJsonSchemaText())
