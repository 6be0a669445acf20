import type { Type } from 'ts-morph'
import { Node, ts, type Project } from './morph.js'
import { taskKey, taskLabel } from '../../runtime/names.js'
import type { Schema } from '../../runtime/schema.js'
import type { Problem } from '../errors/problem.js'
import type { Model, TaskModel, TopicModel } from '../model/model.js'
import type { SchemaBuilder } from './build-schema.js'
import type { Collector } from './collect.js'
import type { ExtractContext } from './context.js'
import { printType, UnprintableTypeError } from './print-type.js'
import { sourceProblem } from './problems.js'

/** A topic as the client publishes to it: its payload's TypeScript text and validator schema. */
export interface ExtractedTopic {
  model: TopicModel
  name: string
  payloadType: string
  payloadOptional: boolean
  schema: Schema
}

/** What extraction learnt of a subscriber's payload: its type and the node it is written at (the handler's parameter). */
export interface SubscriberPayload {
  task: TaskModel
  /** undefined: the handler takes no payload, and so accepts any. */
  type: Type | undefined
  location: Node
}

/** Phase one's result for a topic: the type it carries, from its `type` or its first subscriber. */
export interface PendingTopic {
  topic: TopicModel
  /** undefined: no subscriber takes a payload, and the topic has no `type`: it carries none. */
  type: Type | undefined
  location: Node
  /** The subscriber whose payload type is the topic's (no `type` configured). */
  from?: SubscriberPayload
}

function quoted(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text
}

/** The exported type a topic's `type` names: an interface, alias, class or enum of that file. */
function referencedType(project: Project, topic: TopicModel, type: NonNullable<TopicModel['type']>): { type: Type; location: Node } | Problem {
  const file = project.getSourceFile(type.file) ?? project.addSourceFileAtPath(type.file)
  const symbol = file.getExportSymbols().find((s) => s.getName() === type.exportName)
  const resolved = symbol?.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol
  const declaration = resolved
    ?.getDeclarations()
    .find((d) => Node.isInterfaceDeclaration(d) || Node.isTypeAliasDeclaration(d) || Node.isClassDeclaration(d) || Node.isEnumDeclaration(d))
  if (!declaration) {
    const types = file
      .getExportSymbols()
      .filter((s) => ((s.isAlias() ? (s.getAliasedSymbol() ?? s) : s).getFlags() & ts.SymbolFlags.Type) !== 0)
      .map((s) => s.getName())
      .sort()
    const listed = types.length > 0 ? `its exported types: ${types.join(', ')}` : 'it exports no types'
    return sourceProblem(file, {
      code: 'handler_not_found',
      path: `${topic.path}.type`,
      message: `${file.getBaseName()} exports no type named "${type.exportName}" (${listed})`,
    })
  }
  return { type: declaration.getType(), location: declaration }
}

/** Where two types are compared: the node their properties' types are read at, and how deep in them. */
interface Comparison {
  location: Node
  /** The path of the properties compared, with its trailing dot (`address.`); none at the top. */
  prefix?: string
  depth?: number
}

/**
 * Where `source` (what is published) fails `target` (what the handler takes): the first property,
 * by the handler's type's order, that is missing or of another type, nested properties by path.
 */
function firstDifference(source: Type, target: Type, { location, prefix = '', depth = 0 }: Comparison): string | undefined {
  if (depth > 4 || !target.isObject() || target.isArray() || target.isUnion() || source.isUnion()) return undefined
  for (const property of target.getProperties()) {
    const name = `${prefix}${property.getName()}`
    const wanted = property.getTypeAtLocation(location)
    const given = source.getProperty(property.getName())
    if (!given) {
      if (!property.isOptional()) return `"${name}" is missing from the topic's type, and the handler requires it (${quoted(wanted.getText(location))})`
      continue
    }
    const has = given.getTypeAtLocation(location)
    if (has.isAssignableTo(wanted)) continue
    return (
      firstDifference(has, wanted, { location, prefix: `${name}.`, depth: depth + 1 }) ??
      `"${name}" is ${quoted(has.getText(location))} in the topic's type, but the handler takes ${quoted(wanted.getText(location))}`
    )
  }
  return undefined
}

/** A subscriber that cannot take every payload of the topic: a problem at its handler's payload parameter. */
function acceptProblem(pending: PendingTopic, subscriber: SubscriberPayload): Problem | undefined {
  if (!subscriber.type || !pending.type || pending.type.isAssignableTo(subscriber.type)) return undefined
  const { topic } = pending
  const label = taskLabel(subscriber.task.stack, subscriber.task.name)
  const origin = pending.from ? `the payload type of its first subscriber ${taskLabel(pending.from.task.stack, pending.from.task.name)}` : topic.type!.written
  const difference =
    firstDifference(pending.type, subscriber.type, { location: subscriber.location }) ??
    `${quoted(pending.type.getText(subscriber.location))} is not assignable to ${quoted(subscriber.type.getText(subscriber.location))}`
  const message = `${label} subscribes to the topic "${topic.name}" but its payload type does not accept the topic's (${origin}): ${difference}`
  return sourceProblem(subscriber.location, { code: 'invalid_type', path: `${subscriber.task.path}.subscribe`, message })
}

/** Phase one's tools, shared with the tasks' payloads: the declarations a topic's type refers to go to the same collector. */
export interface CollectingTopics {
  project: Project
  collector: Collector
  /** Where each topic's problems are added, beside the tasks'. */
  problems: Problem[]
}

/**
 * Phase one, beside the tasks' payloads: each topic's type (its `type`, else its first
 * subscriber's), registered for the client's declarations, and every subscriber checked to accept it.
 */
export function collectTopics(model: Model, subscribers: readonly SubscriberPayload[], { project, collector, problems }: CollectingTopics): PendingTopic[] {
  const byTask = new Map(subscribers.map((s) => [taskKey(s.task.stack, s.task.name), s]))
  const pending: PendingTopic[] = []
  for (const topic of model.topics) {
    const members = topic.subscribers.map((s) => byTask.get(taskKey(s.stack, s.task))).filter((s) => s !== undefined)
    let found: PendingTopic
    if (topic.type) {
      const referenced = referencedType(project, topic, topic.type)
      if ('code' in referenced) {
        problems.push(referenced)
        continue
      }
      collector.startTask(topic.path)
      collector.collectType(referenced.type, referenced.location)
      found = { topic, ...referenced }
    } else {
      // A subscriber that takes no payload says nothing of the topic's; the first that takes one does.
      const first = members.find((s) => s.type !== undefined)
      if (!first) {
        if (members.length > 0) pending.push({ topic, type: undefined, location: members[0]!.location, from: members[0] })
        continue
      }
      found = { topic, type: first.type!, location: first.location, from: first }
    }
    for (const subscriber of members) {
      if (subscriber === found.from) continue
      const problem = acceptProblem(found, subscriber)
      if (problem) problems.push(problem)
    }
    pending.push(found)
  }
  return pending
}

/** Phase two's tools, shared with the tasks' payloads: one schema builder makes the defs both refer to. */
export interface BuildingTopics {
  ctx: ExtractContext
  builder: SchemaBuilder
  /** Where each topic's problems are added, beside the tasks'. */
  problems: Problem[]
}

/** What phase two made of a task: a topic typed by its first subscriber takes that task's schema and text. */
type BuiltTask = { model: TaskModel; schema: Schema; payloadType: string; payloadOptional: boolean }

/** Phase two, once names are allocated: the topics' schemas and TypeScript text. */
export function buildTopics(pending: readonly PendingTopic[], tasks: readonly BuiltTask[], { ctx, builder, problems }: BuildingTopics): ExtractedTopic[] {
  const topics: ExtractedTopic[] = []
  for (const { topic, type, location, from } of pending) {
    if (from) {
      const task = tasks.find((t) => t.model === from.task)
      if (task) topics.push({ model: topic, name: topic.name, schema: task.schema, payloadType: task.payloadType, payloadOptional: task.payloadOptional })
      continue
    }
    if (!type) continue
    const unsafeFrom = builder.unsafe.length
    try {
      const schema = builder.payload(type, location)
      for (const value of builder.unsafe.slice(unsafeFrom))
        problems.push(
          sourceProblem(value.node, {
            code: value.kind === 'too-deep' ? 'unsupported_type' : 'not_json_safe',
            path: `${topic.path}.type`,
            message: `${value.path.replace(/^payload/, topic.name)} ${value.message}`,
          }),
        )
      topics.push({ model: topic, name: topic.name, schema, payloadType: printType(ctx, type, location), payloadOptional: false })
    } catch (error) {
      if (!(error instanceof UnprintableTypeError)) throw error
      problems.push(
        sourceProblem(location, {
          code: 'unsupported_type',
          path: `${topic.path}.type`,
          message: `the topic's type ${error.message}; the client cannot write it`,
        }),
      )
    }
  }
  return topics
}
