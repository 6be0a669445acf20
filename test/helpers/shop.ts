import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from './run-cli.js'

/** A copy of examples/shop in a new temp folder (without generated output), so a test writes nothing into the repository. */
export function copyShop(label = 'shop'): string {
  const dir = mkdtempSync(join(tmpdir(), `task-gen-${label}-`))
  cpSync(join(REPO_ROOT, 'examples/shop'), dir, { recursive: true, filter: (src) => !/\/(generated|cdktf\.out|\.task-gen)(\/|$)/.test(src) })
  return dir
}
