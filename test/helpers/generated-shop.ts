import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildClient, writeClient } from '../../generator/generate.js'
import type { configure, createTaskClient, DecodedFailure } from '../../runtime/client/index.js'
import { REPO_ROOT } from './run-cli.js'
import { copyShop } from './shop.js'

/** The shop client's index module, typed by the runtime it bundles (its own declarations are tied to those in test/generate/client-api-ties.ts). */
export type ShopClient = {
  Task: ReturnType<typeof createTaskClient>
  Priority: Record<string, string>
  configure: typeof configure
  decodeFailure(body: string): DecodedFailure
}

/** The shop example's client, generated inside the repository's node_modules, under a name of the caller's. */
export async function generateShopClient(name: string): Promise<GeneratedInRepo> {
  return generateInRepo(join(copyShop(name), 'task-gen.json'), name)
}

export interface GeneratedInRepo {
  dir: string
  load<T = ShopClient>(entry?: string): Promise<T>
  remove(): void
}

/** The client of the project at `configFile`, generated inside the repository's node_modules (so that the AWS SDK resolves), under a name of the caller's. */
export async function generateInRepo(configFile: string, name: string): Promise<GeneratedInRepo> {
  const dir = join(REPO_ROOT, 'node_modules', `.task-gen-${name}`)
  rmSync(dir, { recursive: true, force: true }) // the helper's own folder: clear what an interrupted or older run left there
  const generated = await buildClient({ configFile, out: dir })
  await writeClient(generated)
  return {
    dir,
    load: async <T>(entry = 'index.js') => (await import(pathToFileURL(join(dir, entry)).href)) as T,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
