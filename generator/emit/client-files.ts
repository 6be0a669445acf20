import { relative } from 'node:path'
import { ts } from 'ts-morph'
import type { Extraction, ExtractedEnum, ExtractedTask } from '../extract/extract.js'
import type { Model } from '../model/model.js'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import { docComment, jsonExpression, jsString, jsValue, objectKey } from './escape.js'
import { fillTemplate } from './templates.js'

/** Names the client package exports itself; an extracted type with one of them is renamed. */
export const CLIENT_API_NAMES = [
  'Task', 'TaskCallOptions', 'TaskAccepted', 'TaskInvoker', 'OptionalTaskInvoker', 'TaskInvokeError', 'TaskInvokeErrorCode',
  'ValidationIssue', 'MAX_EVENT_PAYLOAD_BYTES', 'configure', 'TaskPayloads', 'StackName', 'TaskName', 'TaskPayload', 'validatePayload', 'LambdaClientLike', 'ClientSettings', 'TaskBatchOptions', 'TaskBatchResult', 'TaskFailure', 'TaskFailureOf', 'DecodedFailure', 'decodeFailure', 'NonRetryableError',
] as const

/** The names index.js binds at its top level (imports, functions, constants): an exported enum of the same name would redeclare one. */
function indexJsBindings(): string[] {
  const file = ts.createSourceFile('index.js', fillTemplate('index.js', { app: '', configFile: '', enums: '' }), ts.ScriptTarget.ES2022)
  return file.statements.flatMap((statement) => {
    if (ts.isImportDeclaration(statement)) {
      const bindings = statement.importClause?.namedBindings
      return bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : bindings ? [bindings.name.text] : []
    }
    if (ts.isFunctionDeclaration(statement)) return statement.name ? [statement.name.text] : []
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []))
    return []
  })
}

/** Every name a copied type or enum may not take in the client: its API and index.js's own bindings. */
export const CLIENT_RESERVED_NAMES: readonly string[] = [...new Set([...CLIENT_API_NAMES, ...indexJsBindings()])]

function byStack(tasks: readonly ExtractedTask[]): Map<string, ExtractedTask[]> {
  const stacks = new Map<string, ExtractedTask[]>()
  for (const task of tasks) stacks.set(task.stack, [...(stacks.get(task.stack) ?? []), task])
  return stacks
}

function taskObjectType(tasks: readonly ExtractedTask[]): string {
  return [...byStack(tasks)]
    .map(([stack, members]) => {
      const lines = members.map((t) => {
        const invoker = t.payloadOptional ? 'OptionalTaskInvoker' : 'TaskInvoker'
        const docs = t.docs !== undefined ? `${docComment(t.docs, '    ')}\n` : ''
        return `${docs}    readonly ${t.task}: ${invoker}<${t.payloadType}>`
      })
      return `  readonly ${stack}: {\n${lines.join('\n')}\n  }`
    })
    .join('\n')
}

function payloadsType(tasks: readonly ExtractedTask[]): string {
  return [...byStack(tasks)]
    .map(([stack, members]) => `  ${stack}: {\n${members.map((t) => `    ${t.task}: ${t.payloadType}`).join('\n')}\n  }`)
    .join('\n')
}

/** The README's example call: stack and task names are identifiers, the package name a string literal. */
function exampleCall(name: string, first: ExtractedTask | undefined): string {
  return `import { Task } from ${jsString(name)}\n\nawait Task.${first?.stack ?? ''}.${first?.task ?? ''}(/* payload */)`
}

function enumObject(e: ExtractedEnum): string {
  const entries: string[] = []
  for (const m of e.members) {
    entries.push(`  ${objectKey(m.name)}: ${jsValue(m.value)},`)
    // Numeric enums map values back to names, as TypeScript's own enums do.
    if (typeof m.value === 'number') entries.push(`  ${objectKey(String(m.value))}: ${jsString(m.name)},`)
  }
  return `export const ${e.name} = Object.freeze({\n${entries.join('\n')}\n})`
}

/** The data the client's invoke engine runs on; `failures replay` invokes with it too. */
export function clientManifest(model: Model, extraction: Extraction): ClientManifest {
  // Own properties only: a stack named like an Object.prototype member (`isPrototypeOf`) is a stack, not that member.
  const stacks = Object.fromEntries([...byStack(extraction.tasks)].map(([stack, tasks]) => [stack, Object.fromEntries(tasks.map((t) => [t.task, { payload: t.schema }]))]))
  return { app: model.app, stage: model.stage, region: model.region, stacks, defs: extraction.defs }
}

/** Every file of the client package, by path relative to its folder. */
export function clientFiles(model: Model, extraction: Extraction, runtime: string, sdkVersion: string): Map<string, string> {
  const configFile = relative(model.client.outDir, model.configFile).split('\\').join('/')
  const first = extraction.tasks[0]
  const common = { name: model.client.name, app: model.app, stage: model.stage, region: model.region, configFile }
  const files = new Map<string, string>()
  files.set('package.json', fillTemplate('package.json', { ...common, sdkVersion }))
  files.set('README.md', fillTemplate('README.md', { ...common, example: exampleCall(model.client.name, first) }))
  files.set('index.js', fillTemplate('index.js', { ...common, enums: extraction.enums.map(enumObject).join('\n\n') }))
  files.set(
    'index.d.ts',
    fillTemplate('index.d.ts', {
      ...common,
      payloads: payloadsType(extraction.tasks),
      tasks: taskObjectType(extraction.tasks),
      declarations: extraction.declarations.join('\n\n'),
    }),
  )
  files.set('testing.js', fillTemplate('testing.js', {}))
  files.set('testing.d.ts', fillTemplate('testing.d.ts', {}))
  files.set('manifest.js', `// Generated by task-gen. Do not edit.\nexport const manifest = ${jsonExpression(clientManifest(model, extraction))}\n`)
  files.set('runtime.js', runtime)
  return files
}
