import type { SourceFile, Type, TypeNode } from 'ts-morph'
import { Node, SyntaxKind, type Project } from './morph.js'
import type { ClientManifest } from '../../runtime/client/manifest.js'
import type { Schema, SchemaDefs } from '../../runtime/schema.js'
import { UserError, type Problem } from '../errors/problem.js'
import type { Model, TaskModel } from '../model/model.js'
import { SchemaBuilder, type UnsafeValue } from './build-schema.js'
import { compileProblems } from './compile-problems.js'
import { clientManifest } from './client-manifest.js'
import { Collector } from './collect.js'
import { ExtractContext, typeDeclarationOf, type DeclarationEntry, type Reference } from './context.js'
import { enumMemberName, enumMemberValue, enumProblems } from './enum-members.js'
import { findHandler, type FoundHandler } from './find-handler.js'
import { allocateNames, packageOf } from './allocate-names.js'
import { jsDocText, printDeclaration, printWrittenType } from './print-declaration.js'
import { printType, UnprintableTypeError } from './print-type.js'
import { mergeIdenticalDeclarations, mergeIdenticalDefs } from './merge-identical.js'
import { sourceProblem } from './problems.js'
import { buildTopics, collectTopics, type ExtractedTopic } from './topics.js'

/** A task of the model joined with what its handler's types gave: later stages read both from here. */
export interface ExtractedTask {
  /** The task as configured: the one object the model holds, not a copy. */
  model: TaskModel
  /** `model.stack` and `model.name`, as the client names them. */
  stack: string
  task: string
  /** The export of the handler file that is the handler: `default`, `handler` or the configured name. */
  exportName: string
  /** TypeScript source of the payload type, in terms of the emitted declarations. */
  payloadType: string
  /** The call may leave the payload out. */
  payloadOptional: boolean
  schema: Schema
  /** The text of the handler's JSDoc comment (without its delimiters), for the client's property. */
  docs: string | undefined
}

export interface ExtractedEnum {
  name: string
  members: { name: string; value: string | number }[]
}

export interface Extraction {
  tasks: ExtractedTask[]
  /** The app's topics, each with the payload type it carries (its `type`, else its first subscriber's). */
  topics: ExtractedTopic[]
  /** The export of the on-failure handler file that is its handler, when one is configured. */
  onFailureExport: string | undefined
  /** .d.ts declarations of every named type the payloads use, in the order found. */
  declarations: string[]
  enums: ExtractedEnum[]
  defs: SchemaDefs
  /** What the client's invoke engine validates and invokes with: the client carries it, `failures replay` uses it as is. */
  manifest: ClientManifest
  /** Every source file of the project the types were read from (outside node_modules): what a change to could change them. */
  sourceFiles: string[]
  /** Not wrong, but likely not meant: a payload parameter without a type (its payload is `unknown`). */
  warnings: Problem[]
  /** Declarations emitted under another name than their own (`Address_2`): the CLI notes each. */
  renamed: RenamedType[]
}

export interface RenamedType {
  originalName: string
  name: string
  /** Relative to the project folder. */
  file: string
  /** A package's type named by its namespace or module (`Charge_Status`): its package (the CLI notes those once per package) and where it is. */
  qualified?: { package: string; place: string }
}

/** What phase one learns of a task's payload, before names are allocated. */
type Payload = { kind: 'none' } | { kind: 'typed'; type: Type; optional: boolean; location: Node; written?: { node: Node; references: Reference[] } }

interface Pending {
  task: TaskModel
  handler: FoundHandler
  payload: Payload
  unsupportedFrom: number
  unsupportedTo: number
}

function isOptionalType(type: Type): boolean {
  // A type parameter stands for its constraint; without one, for unknown.
  if (type.isTypeParameter()) {
    const constraint = type.getConstraint()
    return constraint ? isOptionalType(constraint) : true
  }
  if (type.isAny() || type.isUnknown() || type.isUndefined() || type.isVoid()) return true
  return type.isUnion() && type.getUnionTypes().some((m) => m.isUndefined() || m.isVoid())
}

/** An installed package's file: its own build checked it, and the app's options may not fit it. */
function isPackageFile(file: SourceFile): boolean {
  return file.getFilePath().includes('/node_modules/')
}

function handlerDocs(node: Node): string | undefined {
  const holder = Node.isVariableDeclaration(node) ? node.getFirstAncestorByKind(SyntaxKind.VariableStatement) : node
  return holder ? jsDocText(holder) : undefined
}

/** Whether a written type names a type parameter declared outside it (the handler's own `<T>`), which the client cannot name. */
function usesOuterTypeParameter(typeNode: TypeNode): boolean {
  const references = [typeNode, ...typeNode.getDescendantsOfKind(SyntaxKind.TypeReference)].filter((n) => Node.isTypeReference(n))
  return references.some((reference) => {
    const declaration = typeDeclarationOf(reference.getTypeName().getSymbol())
    return (
      declaration !== undefined &&
      Node.isTypeParameterDeclaration(declaration) &&
      !(declaration.getSourceFile() === typeNode.getSourceFile() && typeNode.containsRange(declaration.getPos(), declaration.getEnd()))
    )
  })
}

/**
 * A payload parameter that has no type written and none from its context (`async (order) => …`
 * in a file that allows implicit any): its payload is `unknown`, which is rarely what was meant.
 */
function untypedParameterWarning(task: TaskModel, payload: Payload): Problem | undefined {
  if (payload.kind !== 'typed' || payload.written || !(payload.type.isAny() || payload.type.isUnknown())) return undefined
  const declaration = payload.location
  if (!Node.isParameterDeclaration(declaration) || declaration.getTypeNode() !== undefined) return undefined
  return sourceProblem(declaration, {
    code: 'untyped_payload',
    path: task.path,
    message: `the handler's parameter "${declaration.getName()}" has no type, so its payload is \`unknown\` (any JSON value); write its type`,
  })
}

/**
 * Whether a written type names a value (`z.infer<typeof Order>`, `typeof import('./x')`): the client
 * has no values, so it writes the type the checker resolved, as it does for an alias that uses typeof.
 */
function refersToValues(typeNode: TypeNode): boolean {
  const isValueQuery = (node: Node) => Node.isTypeQuery(node) || (Node.isImportTypeNode(node) && node.compilerNode.isTypeOf)
  return isValueQuery(typeNode) || typeNode.getFirstDescendant(isValueQuery) !== undefined
}

/** The payload of a handler: the first parameter of the exported value's call signature. */
function payloadOf(ctx: ExtractContext, collector: Collector, handler: FoundHandler): Payload {
  const signature = handler.type.getCallSignatures()[0]!
  const parameter = signature.getParameters()[0]
  if (!parameter) return { kind: 'none' }
  const declaration = parameter.getValueDeclaration()
  const type = parameter.getTypeAtLocation(handler.node)
  const optional = isOptionalType(type) || (declaration !== undefined && Node.isParameterDeclaration(declaration) && declaration.isOptional())
  const location = declaration ?? handler.node
  // Copy the written annotation when it is the payload's own type (not a wrapper's type parameter),
  // and names nothing the client lacks; else write the type from the checker.
  const typeNode = declaration && Node.isParameterDeclaration(declaration) ? declaration.getTypeNode() : undefined
  if (
    typeNode &&
    !ctx.isLibNode(typeNode) &&
    declaration!.getType().compilerType === type.compilerType &&
    !usesOuterTypeParameter(typeNode) &&
    !refersToValues(typeNode)
  ) {
    const references: Reference[] = []
    collector.collectNode(typeNode, references)
    return { kind: 'typed', type, optional, location, written: { node: typeNode, references } }
  }
  collector.collectType(type, location)
  return { kind: 'typed', type, optional, location }
}

function printPayload(ctx: ExtractContext, payload: Payload): string {
  if (payload.kind === 'none') return 'undefined'
  if (payload.type.isAny() || payload.type.isUnknown()) return 'unknown'
  if (payload.written) return printWrittenType(ctx, payload.written.node, payload.written.references)
  return printType(ctx, payload.type, payload.location)
}

/** The same class reached at many paths (a library's money type in every price) is one problem: at its shortest path. */
function shortestPerClass(unsafe: readonly UnsafeValue[]): UnsafeValue[] {
  const shortest = new Map<string, UnsafeValue>()
  for (const value of unsafe) {
    if (value.kind !== 'class') continue
    const kept = shortest.get(value.message)
    if (!kept || value.path.length < kept.path.length) shortest.set(value.message, value)
  }
  return unsafe.filter((value) => value.kind !== 'class' || shortest.get(value.message) === value)
}

/** The task whose payload holds the unsafe values: its config path, and its handler's payload parameter. */
interface UnsafeOrigin {
  taskPath: string
  payloadNode: Node
}

/**
 * The task's JSON problems. One found in an installed package is placed at the handler's payload
 * (the line the user can change), the package's place named second, in the message.
 */
function unsafeProblems(ctx: ExtractContext, unsafe: readonly UnsafeValue[], { taskPath, payloadNode }: UnsafeOrigin): Problem[] {
  return shortestPerClass(unsafe).map((value) => {
    const code = value.kind === 'too-deep' ? 'unsupported_type' : 'not_json_safe'
    const file = value.node.getSourceFile()
    if (!isPackageFile(file)) return sourceProblem(value.node, { code, path: taskPath, message: `${value.path} ${value.message}` })
    const { line, column } = file.getLineAndColumnAtPos(value.node.getStart())
    return sourceProblem(payloadNode, { code, path: taskPath, message: `${value.path} ${value.message} (in ${ctx.relativePath(file)}:${line}:${column})` })
  })
}

/** A payload's validator schema and TypeScript text, or why its type cannot be written. */
function payloadTypes(ctx: ExtractContext, builder: SchemaBuilder, payload: Payload): Pick<ExtractedTask, 'schema' | 'payloadType'> | UnprintableTypeError {
  try {
    const schema: Schema = payload.kind === 'none' ? { type: 'undefined' } : builder.payload(payload.type, payload.location)
    return { schema, payloadType: printPayload(ctx, payload) }
  } catch (error) {
    if (error instanceof UnprintableTypeError) return error
    throw error
  }
}

/** The .d.ts declarations of every collected type; a type that cannot be written is reported at its declaration. */
function printDeclarations(ctx: ExtractContext, entries: readonly DeclarationEntry[]): string[] {
  const problems: Problem[] = []
  const declarations = entries.map((entry) => {
    try {
      return printDeclaration(ctx, entry)
    } catch (error) {
      if (!(error instanceof UnprintableTypeError)) throw error
      for (const path of entry.usedBy)
        problems.push(
          sourceProblem(entry.node, { code: 'unsupported_type', path, message: `the type ${entry.originalName} ${error.message}; the client cannot write it` }),
        )
      return ''
    }
  })
  if (problems.length > 0) throw new UserError(problems)
  return declarations
}

function renamedType(entry: DeclarationEntry): RenamedType {
  const renamed = { originalName: entry.originalName, name: entry.name!, file: entry.file }
  return entry.qualified === undefined ? renamed : { ...renamed, qualified: { package: packageOf(entry)!.name, place: entry.qualified } }
}

/**
 * Reads every task's handler and extracts its payload type: the declarations the client must
 * carry, the payload's TypeScript text and its validator schema. Every problem is collected and
 * thrown at once.
 */
export function extractTypes(model: Model, project: Project, reservedNames: readonly string[]): Extraction {
  const ctx = new ExtractContext(project, model.rootDir)
  const collector = new Collector(ctx)
  const problems: Problem[] = []
  const pending: Pending[] = []

  const taskOfFile = new Map<string, string>()
  const readBy = (file: SourceFile, path: string) => {
    if (!taskOfFile.has(file.getFilePath())) taskOfFile.set(file.getFilePath(), path)
  }
  for (const task of model.stacks.flatMap((s) => s.tasks)) {
    const file = project.getSourceFile(task.function.entry) ?? project.addSourceFileAtPath(task.function.entry)
    readBy(file, task.path)
    const handler = findHandler(file, task.function.handler, task.path)
    if ('code' in handler) {
      problems.push(handler)
      continue
    }
    const unsupportedFrom = collector.unsupported.length
    collector.startTask(task.path)
    const payload = payloadOf(ctx, collector, handler)
    pending.push({ task, handler, payload, unsupportedFrom, unsupportedTo: collector.unsupported.length })
  }

  let onFailureExport: string | undefined
  if (model.onFailure) {
    const entry = model.onFailure.function.entry
    const file = project.getSourceFile(entry) ?? project.addSourceFileAtPath(entry)
    readBy(file, model.onFailure.path)
    const found = findHandler(file, model.onFailure.function.handler, model.onFailure.path)
    if ('code' in found) problems.push(found)
    else onFailureExport = found.exportName
  }

  const subscribers = pending.map(({ task, handler, payload }) =>
    payload.kind === 'typed' ? { task, type: payload.type, location: payload.location } : { task, type: undefined, location: handler.node },
  )
  const pendingTopics = collectTopics(model, subscribers, { project, collector, problems })

  allocateNames(ctx, reservedNames)
  mergeIdenticalDeclarations(ctx)
  const builder = new SchemaBuilder(ctx)
  const tasks: ExtractedTask[] = []
  const warnings: Problem[] = []
  for (const { task, handler, payload, unsupportedFrom, unsupportedTo } of pending) {
    const warning = untypedParameterWarning(task, payload)
    if (warning) warnings.push(warning)
    const unsafeFrom = builder.unsafe.length
    const typed = payloadTypes(ctx, builder, payload)
    const unsafe = builder.unsafe.slice(unsafeFrom)
    if (payload.kind === 'typed') problems.push(...unsafeProblems(ctx, unsafe, { taskPath: task.path, payloadNode: payload.location }))
    // A class is reported once: as a JSON problem when the payload holds one, else as unsupported.
    // Each once, though the task reached it through more than one shared declaration.
    for (const item of new Set(collector.unsupported.slice(unsupportedFrom, unsupportedTo))) {
      if (unsafe.length === 0)
        problems.push(sourceProblem(item.node, { code: 'unsupported_type', path: task.path, message: `the payload type ${item.message}` }))
    }
    if (typed instanceof UnprintableTypeError) {
      // A recursion through a class cannot be printed either; the class is the problem to report.
      if (unsafe.length === 0 && unsupportedTo === unsupportedFrom && payload.kind === 'typed')
        problems.push(
          sourceProblem(payload.location, {
            code: 'unsupported_type',
            path: task.path,
            message: `the payload type ${typed.message}; the client cannot write it`,
          }),
        )
      continue
    }
    tasks.push({
      model: task,
      stack: task.stack,
      task: task.name,
      exportName: handler.exportName,
      ...typed,
      payloadOptional: payload.kind === 'none' || payload.optional,
      docs: handlerDocs(handler.node),
    })
  }
  const topics = buildTopics(pendingTopics, tasks, { ctx, builder, problems })
  const entries = [...ctx.entries.values()]
  for (const entry of entries) problems.push(...enumProblems(entry))
  for (const entry of entries) if (!isPackageFile(entry.node.getSourceFile())) readBy(entry.node.getSourceFile(), entry.usedBy[0]!)
  problems.unshift(...compileProblems(project, taskOfFile))
  if (problems.length > 0) throw new UserError(problems)

  const merged = mergeIdenticalDefs(
    builder.defs,
    [...tasks, ...topics].map((t) => t.schema),
  )
  for (const [i, task] of tasks.entries()) task.schema = merged.payloads[i]!
  for (const [i, topic] of topics.entries()) topic.schema = merged.payloads[tasks.length + i]!
  return {
    tasks,
    topics,
    onFailureExport,
    declarations: printDeclarations(ctx, entries),
    enums: entries
      .filter((e) => e.kind === 'enum')
      .map((entry) => ({
        name: ctx.nameOf(entry),
        members: Node.isEnumDeclaration(entry.node) ? entry.node.getMembers().map((m) => ({ name: enumMemberName(m), value: enumMemberValue(m) })) : [],
      })),
    defs: merged.defs,
    manifest: clientManifest(model, { tasks, topics, defs: merged.defs }),
    sourceFiles: project
      .getSourceFiles()
      .map((f) => f.getFilePath() as string)
      .filter((path) => !path.includes('/node_modules/')),
    warnings,
    renamed: entries.filter((e) => ctx.nameOf(e) !== e.originalName).map(renamedType),
  }
}
