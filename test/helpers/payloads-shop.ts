import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { copyShop } from './shop.js'

/** The shop example with `"payloads": {}`: an app that offloads large payloads to its bucket. Returns the project folder. */
export function payloadsShop(label: string): string {
  const dir = copyShop(label)
  const configFile = join(dir, 'task-gen.json')
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>
  writeFileSync(configFile, JSON.stringify({ ...config, payloads: {} }, null, 2))
  return dir
}
