import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './run-cli.js'

/** A project of real type packages (zod, TypeBox, valibot, type-fest, drizzle), pinned by its own lock file. */
export const REAL_TYPES_DIR = join(REPO_ROOT, 'test/fixtures/real-types')

interface LockFile {
  packages: Record<string, { version?: string }>
}

/** The locked packages that are missing or at another version in the fixture's node_modules. */
function staleInstalls(): string[] {
  const lock = JSON.parse(readFileSync(join(REAL_TYPES_DIR, 'package-lock.json'), 'utf8')) as LockFile
  return Object.entries(lock.packages)
    .filter(([path]) => path.startsWith('node_modules/'))
    .filter(([path, { version }]) => {
      const manifest = join(REAL_TYPES_DIR, path, 'package.json')
      return !existsSync(manifest) || (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version !== version
    })
    .map(([path]) => path)
}

/**
 * The fixture's node_modules, installed from its lock file (`npm ci`, no scripts) when it is not
 * there yet, as on a clean clone in CI. An install that fails fails the test, loudly: these tests
 * are about those packages, and must never pass without them.
 */
export function installRealTypes(): string {
  if (staleInstalls().length > 0) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: REAL_TYPES_DIR, encoding: 'utf8' })
    const missing = result.error ? ['(npm did not run)'] : staleInstalls()
    if (result.status !== 0 || missing.length > 0) {
      throw new Error(`could not install the real type packages in ${REAL_TYPES_DIR} (npm ci exited ${result.status}; missing: ${missing.join(', ')}):\n${result.stdout}${result.stderr}${result.error ?? ''}`)
    }
  }
  return join(REAL_TYPES_DIR, 'node_modules')
}
