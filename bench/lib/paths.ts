import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (bench code runs from dist/bench/, two levels down). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const TASK_GEN_BIN = join(REPO_ROOT, 'bin/task-gen.js')
/** The JavaScript TypeScript compiler 6.0 (the devDependency ts-morph's embedded compiler matches). */
export const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc')
/** Where synthetic apps are written: inside the repository, so that their generated clients resolve the AWS SDK. */
export const WORK_DIR = join(REPO_ROOT, 'bench/.work')

export function worker(name: string): string {
  return fileURLToPath(new URL(`../workers/${name}.js`, import.meta.url))
}

/** The native TypeScript 7 binary itself, not its node launcher, so that node's start-up is not counted against it. */
export function tsgoBinary(): string {
  const native = join(REPO_ROOT, `node_modules/@typescript/native-preview-${process.platform}-${process.arch}/lib/tsgo`)
  return existsSync(native) ? native : join(REPO_ROOT, 'node_modules/.bin/tsgo')
}

/** Where task-gen keeps the app's extraction cache: removed before every run meant to be cold. */
export function forgetExtractionCache(appDir: string): void {
  rmSync(join(appDir, '.task-gen', 'cache'), { recursive: true, force: true })
}
