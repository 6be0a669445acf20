import { extname, resolve } from 'node:path'

/** The TypeScript sources an import of a JavaScript name resolves to, in TypeScript's order. */
const SOURCES_OF: Record<string, readonly string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] }

/**
 * The file a handler path names, as TypeScript resolves an ESM import: `./src/x.js` (the habit
 * of writing imports as they run) is `./src/x.ts` when that exists, else the path as written.
 */
export function handlerFile(rootDir: string, written: string, isFile: (path: string) => boolean): string {
  const resolved = resolve(rootDir, written)
  const extension = extname(resolved)
  for (const source of SOURCES_OF[extension] ?? []) {
    const candidate = resolved.slice(0, -extension.length) + source
    if (isFile(candidate)) return candidate
  }
  return resolved
}
