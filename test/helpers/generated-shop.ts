import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildClient, writeClient } from '../../generator/generate.js'
import { REPO_ROOT } from './run-cli.js'
import { copyShop } from './shop.js'

export type ShopClient = {
  Task: Record<string, Record<string, TaskFn>>
  Priority: Record<string, string>
  configure(settings: Record<string, unknown>): void
  decodeFailure(body: string): { ok: boolean; failure?: { stack: string; task: string; payload: unknown }; reason?: string }
}
type TaskFn = ((payload?: unknown, options?: Record<string, unknown>) => Promise<{ requestId: string; functionName: string; attempts: number }>) & {
  batch(payloads: unknown[], options?: Record<string, unknown>): Promise<({ status: 'accepted'; index: number; requestId: string } | { status: 'failed'; index: number; error: { code: string; message: string } })[]>
}

/**
 * The shop example's client, generated inside the repository's node_modules (so that its one
 * dependency, the AWS SDK, resolves), under a name of the caller's.
 */
export async function generateShopClient(name: string): Promise<{ dir: string; load<T = ShopClient>(entry?: string): Promise<T>; remove(): void }> {
  const shop = copyShop(name)
  const dir = join(REPO_ROOT, 'node_modules', `.task-gen-${name}`)
  rmSync(dir, { recursive: true, force: true }) // the helper's own folder: clear what an interrupted or older run left there
  const generated = await buildClient({ configFile: join(shop, 'task-gen.json'), out: dir })
  await writeClient(generated)
  return {
    dir,
    load: async <T>(entry = 'index.js') => (await import(pathToFileURL(join(dir, entry)).href)) as T,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
