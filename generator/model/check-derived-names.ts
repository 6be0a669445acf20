import { NAME_LIMITS, onFailureResourceNames, taskResourceNames } from '../../runtime/names.js'
import { formatPath, type ConfigPath, type Problem, type SourceLocation } from '../errors/problem.js'
import { rawTasks } from '../config/raw-tasks.js'
import { payloadBucketName } from '../../runtime/payloads.js'
import { appName } from '../config/schema.js'

const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

type NameKind = keyof typeof NAME_LIMITS

const LABELS: Record<NameKind, string> = {
  function: 'Lambda function name',
  role: 'IAM role name',
  queue: 'SQS queue name',
  logGroup: 'log group name',
  bucket: 'S3 bucket name',
}

interface DerivedName {
  kind: NameKind
  name: string
}

interface Owner {
  path: ConfigPath
  role: string
  names: DerivedName[]
}

function functionNames(names: { function: string; role: string; logGroup: string }): DerivedName[] {
  return [
    { kind: 'function', name: names.function },
    { kind: 'role', name: names.role },
    { kind: 'logGroup', name: names.logGroup },
  ]
}

function owners(raw: unknown, app: string, stage: string): Owner[] {
  const list: Owner[] = rawTasks(raw)
    .filter(({ stack, task }) => PROPERTY_NAME.test(stack) && PROPERTY_NAME.test(task))
    .map(({ stack, task, path }) => {
      const names = taskResourceNames({ app, stage, stack, task })
      return { path, role: names.role, names: [...functionNames(names), { kind: 'queue' as const, name: names.failureQueue }] }
    })
  const onFailure = (raw as { onFailure?: unknown }).onFailure
  if (onFailure !== undefined) {
    const names = onFailureResourceNames(app, stage)
    list.push({ path: ['onFailure'], role: names.role, names: [...functionNames(names), { kind: 'queue', name: names.deadLetterQueue }] })
  }
  if ((raw as { payloads?: unknown }).payloads !== undefined) {
    // No role: the bucket's name cannot clash with a role's.
    list.push({ path: ['payloads'], role: '', names: [{ kind: 'bucket', name: payloadBucketName(app, stage) }] })
  }
  return list
}

/**
 * AWS names are derived from app, stage, stack and task; each must fit AWS's limit, and no two
 * resources may share one (IAM role names ignore case). The message shows the derived name.
 */
export function checkDerivedNames(raw: unknown, stage: string, locate: (path: ConfigPath) => SourceLocation | undefined): Problem[] {
  const app = (raw as { app?: unknown } | null)?.app
  if (!appName.safeParse(app).success) return []
  const problems: Problem[] = []
  const add = (path: ConfigPath, code: Problem['code'], message: string) => {
    const location = locate(path)
    problems.push({ code, path: formatPath(path), message, ...(location ? { location } : {}) })
  }
  const seen = new Map<string, ConfigPath>()
  for (const { path, role, names } of owners(raw, app as string, stage)) {
    for (const { kind, name } of names) {
      const limit = NAME_LIMITS[kind]
      if (name.length > limit) {
        add(
          path,
          'name_too_long',
          `the ${LABELS[kind]} "${name}" (stage "${stage}") is ${name.length} characters; AWS allows ${limit}. Shorten the app, stage, stack or task name`,
        )
      }
    }
    if (role === '') continue
    const key = role.toLowerCase()
    const other = seen.get(key)
    if (other) add(path, 'name_conflict', `its resources would be named "${role}", which ${formatPath(other)} already uses (IAM role names ignore case)`)
    else seen.set(key, path)
  }
  return problems
}
