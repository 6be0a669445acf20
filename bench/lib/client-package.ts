import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** A module of a generated client package (`index.js`, `runtime.js`, `manifest.js`), from the version folder its package.json names. */
export async function importClientModule<T>(packageDir: string, file: string): Promise<T> {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports: { '.': { default: string } } }
  return (await import(pathToFileURL(join(packageDir, dirname(pkg.exports['.'].default), file)).href)) as T
}
