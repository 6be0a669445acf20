import { randomBytes } from 'node:crypto'
import type { BundleRequest, FunctionBundle } from '../bundle/bundle-functions.js'
import type { TaskModel } from '../model/model.js'

/** What the stacks name of a bundle: its zip's file name and hash, which only bundling gives. */
export interface BundleRef {
  key: string
  /** The request's task: undefined for the on-failure handler's. */
  task: TaskModel | undefined
  fileName: string
  hash: string
}

/**
 * Stand-ins for the bundles, so that the stacks are built and synthesized while esbuild bundles:
 * each file name and hash is a placeholder that `fill` replaces in the synthesized text once the
 * bundles exist. A placeholder holds a random nonce, so no user text can look like one.
 */
export class BundlePlaceholders {
  readonly refs: BundleRef[]
  private readonly pattern: RegExp
  private readonly keys: string[]

  constructor(requests: readonly BundleRequest[]) {
    const nonce = randomBytes(12).toString('hex')
    this.keys = requests.map((request) => request.key)
    this.refs = requests.map(({ key, task }, i) => ({ key, task, fileName: `task-gen-bundle-${nonce}-${i}-file`, hash: `task-gen-bundle-${nonce}-${i}-hash` }))
    this.pattern = new RegExp(`task-gen-bundle-${nonce}-(\\d+)-(file|hash)`, 'g')
  }

  /** `text` (JSON) with every placeholder replaced by its bundle's value, escaped as a JSON string's content. */
  fill(text: string, bundles: ReadonlyMap<string, FunctionBundle>): string {
    return text.replace(this.pattern, (_, index: string, part: 'file' | 'hash') => {
      const key = this.keys[Number(index)]
      const bundle = key === undefined ? undefined : bundles.get(key)
      if (!bundle) throw new Error(`internal: no bundle for placeholder ${index} (${key})`)
      return JSON.stringify(part === 'file' ? bundle.fileName : bundle.hash).slice(1, -1)
    })
  }
}
