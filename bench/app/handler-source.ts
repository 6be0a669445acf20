/** One synthetic task: where it lives and how its handler is written. */
export interface SyntheticTask {
  stack: string
  name: string
  /** The stack's domain type prefix, e.g. `Orders` (types in src/types/<stack>.ts). */
  domain: string
  /** Path from the app root, e.g. `src/orders/task-12.ts`. */
  file: string
  variant: HandlerVariant
  /** The handler's export when it is not the default export. */
  exportName?: string
}

/** The ways real handlers are written, rotated over the tasks. */
export const HANDLER_VARIANTS = ['interface', 'envelope', 'union', 'wrapped', 'result', 'no-payload'] as const
export type HandlerVariant = (typeof HANDLER_VARIANTS)[number]

/** The export each variant's handler is found under (config `handler`), when not the default. */
export const VARIANT_EXPORT: Partial<Record<HandlerVariant, string>> = { union: 'run', result: 'handler' }

const IMPORTS = (t: SyntheticTask) => [
  `import type { Envelope, LambdaContext, Money, Paged, Result } from '../types/common.js'`,
  `import { ${t.domain}Status, type ${t.domain}Entity, type ${t.domain}Filter } from '../types/${t.stack}.js'`,
  `import { log, sumMoney } from '../lib/log.js'`,
  `import { withLogging } from '../lib/with-logging.js'`,
]

/** A payload interface of the task's own, built from shared and domain types. */
function ownPayload(t: SyntheticTask, type: string): string {
  return `/** The payload of ${t.stack}.${t.name}. */
export interface ${type} {
  requestId: string
  entity: ${t.domain}Entity
  filter: ${t.domain}Filter<'id' | 'status' | 'total'>
  limits?: { maxItems: number; dryRun: boolean }
  adjustments: Record<string, Money>
}`
}

function body(t: SyntheticTask, what: string, indent = '  '): string {
  return `${indent}log('${t.stack}.${t.name}', { what: ${what} })`
}

const VARIANTS: Record<HandlerVariant, (t: SyntheticTask, type: string) => string[]> = {
  interface: (t, type) => [
    ownPayload(t, type),
    `/** Handles ${t.stack}.${t.name}. */
export default async function ${t.name}(payload: ${type}, context: LambdaContext): Promise<void> {
  const total = sumMoney(payload.entity.lines.map((line) => ({ amount: line.price.amount * line.quantity, currency: line.price.currency })))
${body(t, 'payload.requestId')}
  if (payload.entity.status === ${t.domain}Status.Archived) throw new Error('archived: ' + payload.entity.id + ' ' + total + ' ' + context.awsRequestId)
}`,
  ],
  envelope: (t, type) => [
    `export interface ${type}Data {
  ids: string[]
  page: Paged<Pick<${t.domain}Entity, 'id' | 'status' | 'total'>>
  reason: 'manual' | 'scheduled' | 'backfill'
}`,
    `export default async function ${t.name}(event: Envelope<${type}Data, 'scheduler' | 'api'>): Promise<void> {
${body(t, 'event.id')}
  for (const item of event.data.page.items) if (item.status === ${t.domain}Status.Draft) log('draft', { id: item.id })
}`,
  ],
  union: (t, type) => [
    `/** What to do with a ${t.domain} record. */
export type ${type} =
  | { kind: 'create'; entity: ${t.domain}Entity }
  | { kind: 'update'; id: string; patch: Partial<Omit<${t.domain}Entity, 'id'>> }
  | { kind: 'delete'; id: string; reason?: string }`,
    `export async function run(payload: ${type}): Promise<void> {
  switch (payload.kind) {
    case 'create':
${body(t, 'payload.entity.id', '      ')}
      return
    case 'update':
      log('update', { id: payload.id, fields: Object.keys(payload.patch) })
      return
    case 'delete':
      log('delete', { id: payload.id, reason: payload.reason ?? 'none' })
  }
}`,
  ],
  wrapped: (t, type) => [
    ownPayload(t, type),
    `export default withLogging('${t.stack}.${t.name}', async (payload: ${type}) => {
${body(t, 'payload.filter.fields.join()')}
})`,
  ],
  result: (t, type) => [
    `export type ${type} = Result<${t.domain}Entity[]> & { attempt: number; tags?: readonly string[] }`,
    `export const handler = async (payload: ${type}): Promise<void> => {
${body(t, 'payload.ok ? payload.value.length : payload.error.code')}
}`,
  ],
  'no-payload': (t) => [
    `/** A scheduled clean-up: takes no payload. */
export default async function ${t.name}(): Promise<void> {
${body(t, "'cleanup'")}
}`,
  ],
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1)
}

/** The source of a task's handler file. Unused imports are kept: real handler files have them too, and tsc does not mind. */
export function handlerSource(t: SyntheticTask): string {
  return `${IMPORTS(t).join('\n')}\n\n${VARIANTS[t.variant](t, `${pascal(t.name)}Payload`).join('\n\n')}\n`
}
