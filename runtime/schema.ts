import type { TemplateHole } from './template-literal.js'

/**
 * A JSON description of a payload type, emitted by the generator from the handler's TypeScript
 * type and checked at run time by `validate`. Plain data, so that the client package carries its
 * validators without depending on a validation library.
 */
export type Schema =
  | { type: 'unknown' }
  | { type: 'never' }
  | { type: 'string' }
  | { type: 'number' }
  | { type: 'boolean' }
  | { type: 'null' }
  | { type: 'undefined' }
  | { type: 'literal'; value: string | number | boolean }
  /** A template literal type: `texts[0]`, a string `holes[0]` accepts, `texts[1]`, …; texts has one more entry than holes. */
  | { type: 'template'; texts: string[]; holes: TemplateHole[] }
  | { type: 'array'; items: Schema }
  | { type: 'tuple'; items: Schema[]; required: number; rest?: Schema }
  | { type: 'object'; properties: Record<string, PropertySchema>; additional?: Schema }
  | { type: 'union'; anyOf: Schema[] }
  | { type: 'ref'; name: string }

export interface PropertySchema {
  schema: Schema
  optional: boolean
}

/** Named schemas that `ref` points at; recursive types refer to themselves through them. */
export type SchemaDefs = Record<string, Schema>
