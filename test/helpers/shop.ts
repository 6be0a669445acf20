import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, REPO_ROOT } from './run-cli.js'
import { tempDir } from './temp.js'

/** A copy of examples/shop in a new temp folder (without generated output), so a test writes nothing into the repository. */
export function copyShop(label = 'shop', dir = tempDir(label)): string {
  cpSync(join(REPO_ROOT, 'examples/shop'), dir, { recursive: true, filter: (src) => !/\/(generated|cdktf\.out|\.task-gen|node_modules|dist)(\/|$)/.test(src) })
  return dir
}

/**
 * The repository's layout in a temp folder: `examples/shop` (a copy) and the root `cdktf.json`, its
 * app running this checkout's built CLI, so README commands run there as written.
 */
export function copyRepoExample(label = 'repo'): { root: string; shop: string } {
  const root = tempDir(label)
  const shop = join(root, 'examples/shop')
  mkdirSync(shop, { recursive: true })
  copyShop(label, shop)
  const cdktf = JSON.parse(readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string }
  if (!cdktf.app.startsWith('npx task-gen ')) throw new Error(`cdktf.json's app is ${JSON.stringify(cdktf.app)}; copyRepoExample expects "npx task-gen …"`)
  cdktf.app = cdktf.app.replace(/^npx task-gen /, `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} `)
  writeFileSync(join(root, 'cdktf.json'), JSON.stringify(cdktf))
  return { root, shop }
}
