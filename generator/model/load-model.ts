import type { RawConfigCheck } from './raw-config-check.js'
import { resolve } from 'node:path'
import { formatPath, UserError, type Problem } from '../errors/problem.js'
import { nodeFileSystem, type FileSystem } from '../fs/file-system.js'
import { parseJsonc } from '../config/parse-jsonc.js'
import { protoKeyProblems } from '../config/proto-keys.js'
import { configSchema, SEMVER, stageName } from '../config/schema.js'
import { defaultMessage, issuesToProblems } from '../config/zod-issues.js'
import { buildModel } from './build-model.js'
import { checkDerivedNames } from './check-derived-names.js'
import { checkHandlerFiles } from './check-handler-files.js'
import { DEFAULTS } from './defaults.js'
import { checkQueueTimeouts } from './queues.js'
import { checkScheduleNames } from './schedule-names.js'
import { checkTopics } from './topics.js'
import { deprecatedRuntimeWarnings } from './deprecated-runtimes.js'
import type { Model } from './model.js'

export interface LoadModelOptions {
  /** task-gen.json, absolute or relative to the current folder. */
  configFile: string
  /** @default "dev" */
  stage?: string
  fs?: FileSystem
}

function byPosition(a: Problem, b: Problem): number {
  const la = a.location
  const lb = b.location
  if (!la || !lb) return la ? -1 : lb ? 1 : 0
  return la.line - lb.line || la.column - lb.column
}

/**
 * The version in the package.json beside task-gen.json, when it has one npm would take. Only a
 * default: a package.json that is not the app's (or not valid) leaves the client at 0.0.0.
 */
function appPackageVersion(rootDir: string, fs: FileSystem): string | undefined {
  const text = fs.readFile(resolve(rootDir, 'package.json'))
  if (text === undefined) return undefined
  try {
    const { version } = JSON.parse(text) as { version?: unknown }
    return typeof version === 'string' && SEMVER.test(version) ? version : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads task-gen.json and turns it into the model. Every problem (syntax aside, which stops the
 * read) is collected first and thrown together as one UserError, in file order.
 */
export function loadModel(options: LoadModelOptions): Model {
  const fs = options.fs ?? nodeFileSystem
  const stage = options.stage ?? DEFAULTS.stage
  const stageCheck = stageName.safeParse(stage)
  if (!stageCheck.success) throw new UserError(issuesToProblems(stageCheck.error.issues).map((p) => ({ ...p, path: 'stage' })))
  const configFile = resolve(options.configFile)
  const text = fs.readFile(configFile)
  if (text === undefined) {
    throw new UserError([{ code: 'file_not_found', path: '', message: `config file "${options.configFile}" not found (resolved to ${configFile})` }])
  }
  const document = parseJsonc(text, configFile)
  const parsed = configSchema.safeParse(document.value, { error: defaultMessage, reportInput: true })
  const rootDir = resolve(configFile, '..')
  const check: RawConfigCheck = { raw: document.value, rootDir, stage, fs, locate: document.locate }
  const problems: Problem[] = [
    ...document.duplicates.map(
      ({ path, first, again }): Problem => ({
        code: 'duplicate_key',
        path: formatPath(path),
        message: `written twice (first at line ${first.line}); JSON keeps only the last`,
        location: again,
      }),
    ),
    ...(parsed.success ? [] : issuesToProblems(parsed.error.issues, document.locate)),
    ...protoKeyProblems(configSchema, document.value, document.locate),
    ...checkHandlerFiles(check),
    ...checkDerivedNames(document.value, stage, document.locate),
    ...checkScheduleNames(document.value, stage, document.locate),
    ...checkTopics(check),
    ...checkQueueTimeouts(document.value, document.locate),
  ]
  if (problems.length > 0 || !parsed.success) throw new UserError(problems.sort(byPosition))
  const model = {
    ...buildModel({ config: parsed.data, configFile, stage, project: { appVersion: appPackageVersion(rootDir, fs), isFile: (path) => fs.isFile(path) } }),
    locate: document.locate,
  }
  const outDirLocation = parsed.data.client?.outDir === undefined ? undefined : document.locate(['client', 'outDir'])
  const warnings = deprecatedRuntimeWarnings(parsed.data, document.locate)
  return { ...model, warnings, client: outDirLocation ? { ...model.client, outDirLocation } : model.client }
}
