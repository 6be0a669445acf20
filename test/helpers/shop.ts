import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './run-cli.js'
import { tempDir } from './temp.js'

/** A copy of examples/shop in a new temp folder (without generated output), so a test writes nothing into the repository. */
export function copyShop(label = 'shop'): string {
  const dir = tempDir(label)
  cpSync(join(REPO_ROOT, 'examples/shop'), dir, { recursive: true, filter: (src) => !/\/(generated|cdktf\.out|\.task-gen)(\/|$)/.test(src) })
  return dir
}
