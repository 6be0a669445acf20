import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface LockFile {
  packages: Record<string, { version?: string }>
}

/** The locked packages that are missing or at another version in a fixture's node_modules. */
function staleInstalls(dir: string): string[] {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as LockFile
  return Object.entries(lock.packages)
    .filter(([path]) => path.startsWith('node_modules/'))
    .filter(([path, { version }]) => {
      const manifest = join(dir, path, 'package.json')
      return !existsSync(manifest) || (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version !== version
    })
    .map(([path]) => path)
}

/**
 * A fixture project's node_modules, installed from its lock file (`npm ci`, no scripts) when it is
 * not there yet, as on a clean clone in CI. An install that fails throws, loudly: what uses these
 * packages is about them, and must never pass (or measure) without them.
 */
export function installFixture(dir: string): string {
  if (staleInstalls(dir).length > 0) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8' })
    const missing = result.error ? ['(npm did not run)'] : staleInstalls(dir)
    if (result.status !== 0 || missing.length > 0) {
      throw new Error(
        `could not install the packages of ${dir} (npm ci exited ${result.status}; missing: ${missing.join(', ')}):\n${result.stdout}${result.stderr}${result.error ?? ''}`,
      )
    }
  }
  return join(dir, 'node_modules')
}
