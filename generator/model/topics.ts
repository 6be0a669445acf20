import { topicResourceName, TOPIC_NAME_LIMIT } from '../../runtime/topic-names.js'
import { isObject, rawTasks } from '../config/raw-tasks.js'
import { appName } from '../config/schema.js'
import { suggest } from '../config/suggest.js'
import { parseTypeReference } from '../config/topics.js'
import type { Config } from '../config/schema.js'
import { configProblems, formatPath, type ConfigPath, type Problem } from '../errors/problem.js'
import type { RawConfigCheck } from './raw-config-check.js'
import { handlerFile } from './handler-file.js'
import type { TopicModel } from './model.js'

function subscriptions(raw: unknown): { stack: string; task: string; path: ConfigPath; topic: unknown }[] {
  return rawTasks(raw).flatMap(({ stack, task, path, value }) => {
    const subscribe = isObject(value) ? value.subscribe : undefined
    return Array.isArray(subscribe) ? subscribe.map((topic, i) => ({ stack, task, path: [...path, 'subscribe', i] as ConfigPath, topic })) : []
  })
}

/**
 * What the schema cannot see: each subscription names a declared topic (once per task), each
 * topic has a type or a subscriber (else nothing says what it carries), its type's file exists,
 * and its SNS name fits AWS's limit. Read from the raw config, so these come with the schema's problems.
 */
export function checkTopics({ raw, rootDir, stage, fs, locate }: RawConfigCheck): Problem[] {
  const problemAt = configProblems(locate)
  const declared = isObject(raw) && isObject(raw.topics) ? raw.topics : {}
  const names = Object.keys(declared)
  const problems: Problem[] = []
  const subscribed = new Set<string>()
  const seen = new Set<string>()
  for (const { stack, task, path, topic } of subscriptions(raw)) {
    if (typeof topic !== 'string') continue
    if (!Object.hasOwn(declared, topic)) {
      const guess = suggest(topic, names)
      const known = names.length === 0 ? '; declare it under the top-level "topics"' : guess ? `; did you mean "${guess}"?` : ` (declared: ${names.join(', ')})`
      problems.push(problemAt('invalid_value', path, `no topic "${topic}"${known}`))
      continue
    }
    const key = `${stack}\0${task}\0${topic}`
    if (seen.has(key)) problems.push(problemAt('invalid_value', path, `subscribes to "${topic}" twice; each publish would run the task twice`))
    seen.add(key)
    subscribed.add(topic)
  }
  const app = isObject(raw) && appName.safeParse(raw.app).success ? (raw.app as string) : undefined
  for (const [name, body] of Object.entries(declared)) {
    const type = isObject(body) ? body.type : undefined
    // A name the schema refuses has that problem; no second one.
    if (type === undefined && !subscribed.has(name) && /^[A-Za-z]\w*$/.test(name)) {
      problems.push(
        problemAt(
          'required',
          ['topics', name],
          `topic "${name}" has no "type" and no subscriber, so nothing says what it carries; give it a "type" such as "./src/events.ts#${name[0]?.toUpperCase()}${name.slice(1)}", or subscribe a task to it`,
        ),
      )
    }
    const reference = typeof type === 'string' ? parseTypeReference(type) : undefined
    if (reference) {
      const file = handlerFile(rootDir, reference.file, (path) => fs.isFile(path))
      if (!fs.isFile(file))
        problems.push(problemAt('file_not_found', ['topics', name, 'type'], `the type's file "${reference.file}" not found (resolved to ${file})`))
    }
    const resource = app ? topicResourceName(app, stage, name) : ''
    if (resource.length > TOPIC_NAME_LIMIT) {
      problems.push(
        problemAt(
          'name_too_long',
          ['topics', name],
          `the SNS topic name "${resource}" (stage "${stage}") is ${resource.length} characters; AWS allows ${TOPIC_NAME_LIMIT}. Shorten the app, stage or topic name`,
        ),
      )
    }
  }
  return problems
}

/** The validated config's topics, each with its subscribers in config order. */
export function resolveTopics(config: Config, { stage, rootDir, isFile }: { stage: string; rootDir: string; isFile: (path: string) => boolean }): TopicModel[] {
  return Object.entries(config.topics ?? {}).map(([name, topic]) => {
    const reference = topic.type === undefined ? undefined : parseTypeReference(topic.type)
    const subscribers = Object.entries(config.stacks).flatMap(([stack, body]) =>
      Object.entries(body.tasks)
        .filter(([, task]) => typeof task === 'object' && task.subscribe?.includes(name))
        .map(([task]) => ({ stack, task })),
    )
    return {
      name,
      path: formatPath(['topics', name]),
      type: reference && { file: handlerFile(rootDir, reference.file, isFile), exportName: reference.exportName, written: topic.type! },
      subscribers,
      resourceName: topicResourceName(config.app, stage, name),
    }
  })
}
