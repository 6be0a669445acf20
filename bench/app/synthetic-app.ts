import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { HANDLER_VARIANTS, VARIANT_EXPORT, handlerSource, type SyntheticTask } from './handler-source.js'
import { COMMON_TYPES, domainTypes, LOG, ON_FAILURE, WITH_LOGGING } from './shared-sources.js'

export interface SyntheticAppOptions {
  /** Folder to (re)create the app in. */
  dir: string
  tasks: number
  /** @default one stack per 25 tasks, at least 2 */
  stacks?: number
  /** How many tasks, from the first, are configured with `"idempotency": {}` (their calls take an `{ idempotencyKey }`). @default 0 */
  idempotentTasks?: number
}

export interface SyntheticApp {
  dir: string
  configFile: string
  /** A tsconfig over the same files, with the compiler options task-gen reads handlers with (for the tsc baselines). */
  tsconfigFile: string
  tasks: SyntheticTask[]
  /** Absolute paths of every handler entry (tasks and the on-failure handler). */
  entries: string[]
  clientName: string
}

const DOMAINS = ['orders', 'billing', 'catalog', 'shipping', 'users', 'reports', 'search', 'notify', 'media', 'audit']

function stackNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${DOMAINS[i % DOMAINS.length]!}${i < DOMAINS.length ? '' : Math.floor(i / DOMAINS.length) + 1}`)
}

function domainTypeName(stack: string): string {
  return stack.charAt(0).toUpperCase() + stack.slice(1)
}

/** Tasks spread round-robin over the stacks, each with the next handler variant. */
export function planTasks(count: number, stacks: readonly string[]): SyntheticTask[] {
  return Array.from({ length: count }, (_, i) => {
    const stack = stacks[i % stacks.length]!
    const variant = HANDLER_VARIANTS[i % HANDLER_VARIANTS.length]!
    const name = `task${String(i + 1).padStart(3, '0')}`
    const exportName = VARIANT_EXPORT[variant]
    return { stack, name, domain: domainTypeName(stack), file: `src/${stack}/${name}.ts`, variant, ...(exportName ? { exportName } : {}) }
  })
}

function taskConfig(task: SyntheticTask, idempotent: boolean): unknown {
  const consumer = task.exportName ? { code: `./${task.file}`, handler: task.exportName } : `./${task.file}`
  if (idempotent) return { consumer, idempotency: {} }
  return task.exportName ? { consumer } : consumer
}

function configJson(tasks: readonly SyntheticTask[], stacks: readonly string[], idempotent: ReadonlySet<string>): string {
  const config = {
    app: 'bench',
    region: 'us-east-1',
    defaults: { function: { runtime: 'nodejs22.x', memorySize: '256 MB', timeout: '30 seconds' }, retryAttempts: 2 },
    onFailure: './src/on-failure.ts',
    client: { name: '@bench/tasks', outDir: './generated/tasks' },
    stacks: Object.fromEntries(
      stacks.map((stack) => [
        stack,
        { tasks: Object.fromEntries(tasks.filter((t) => t.stack === stack).map((t) => [t.name, taskConfig(t, idempotent.has(t.name))])) },
      ]),
    ),
  }
  return `${JSON.stringify(config, null, 2)}\n`
}

/** The same compiler options as generator/extract/project.ts, over the same files. */
function tsconfigJson(): string {
  const compilerOptions = {
    strict: true,
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  }
  return `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}

/** Writes an app of `tasks` tasks over several stacks: config, tsconfig, shared types, libraries and one handler file per task. */
export function writeSyntheticApp(options: SyntheticAppOptions): SyntheticApp {
  const { dir } = options
  const stacks = stackNames(options.stacks ?? Math.max(2, Math.ceil(options.tasks / 25)))
  const tasks = planTasks(options.tasks, stacks)
  rmSync(dir, { recursive: true, force: true })
  const idempotent = new Set(tasks.slice(0, options.idempotentTasks ?? 0).map((t) => t.name))
  write(dir, 'task-gen.json', configJson(tasks, stacks, idempotent))
  write(dir, 'tsconfig.json', tsconfigJson())
  write(dir, 'src/types/common.ts', COMMON_TYPES)
  for (const stack of stacks) write(dir, `src/types/${stack}.ts`, domainTypes(domainTypeName(stack)))
  write(dir, 'src/lib/log.ts', LOG)
  write(dir, 'src/lib/with-logging.ts', WITH_LOGGING)
  write(dir, 'src/on-failure.ts', ON_FAILURE)
  for (const task of tasks) write(dir, task.file, handlerSource(task))
  return {
    dir,
    configFile: join(dir, 'task-gen.json'),
    tsconfigFile: join(dir, 'tsconfig.json'),
    tasks,
    entries: [...tasks.map((t) => join(dir, t.file)), join(dir, 'src/on-failure.ts')],
    clientName: '@bench/tasks',
  }
}
