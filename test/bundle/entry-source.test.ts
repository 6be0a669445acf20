import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { esbuildOptions, type BundleRequest } from '../../generator/bundle/bundle-functions.js'
import type { FunctionModel } from '../../generator/model/model.js'
import type { Schema, SchemaDefs } from '../../runtime/schema.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

type Handler = (event: unknown, context: { awsRequestId: string; invokedFunctionArn: string }) => Promise<unknown>

// As the generator has them: parsed from JSON, so "__proto__" is an own property and a def may be named `constructor`.
const payload = JSON.parse(
  '{"type": "object", "properties": {"__proto__": {"schema": {"type": "string"}, "optional": false}, "owner": {"schema": {"type": "ref", "name": "constructor"}, "optional": false}}}',
) as Schema
const defs = JSON.parse('{"constructor": {"type": "object", "properties": {"id": {"schema": {"type": "string"}, "optional": false}}}}') as SchemaDefs

/** The entry task-gen bundles for a task, built and loaded; failure records go to `globalThis.sent`. */
async function bundledHandler(): Promise<Handler> {
  const dir = tempDir('entry-source')
  writeFileSync(join(dir, 'handler.mjs'), 'export default async () => "ran"\n')
  writeFileSync(join(dir, 'sender.mjs'), 'export async function postFailureRecord(record) { (globalThis.sent ??= []).push(record) }\n')
  const request: BundleRequest = {
    key: 'orders/t',
    path: 'stacks.orders.tasks.t',
    function: { entry: join(dir, 'handler.mjs'), runtime: 'nodejs20.x', bundle: { minify: false, sourcemap: false, external: [] } } as unknown as FunctionModel,
    exportName: 'default',
    wrap: { kind: 'task', spec: { stack: 'orders', task: 't', payload, defs } },
  }
  const result = await build({ ...esbuildOptions(request, dir, join(dir, 'sender.mjs')), write: false, outfile: join(dir, 'index.mjs') })
  writeFileSync(join(dir, 'index.mjs'), result.outputFiles[0]!.contents)
  return ((await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: Handler }).handler
}

describe('the bundled task entry: the wrapper gets its spec with every name as data', () => {
  afterAll(() => removeTempDirs())
  const context = { awsRequestId: 'r-1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:app-dev-orders-t' }

  it('a property named __proto__ and a type named constructor are checked in Lambda', async () => {
    const handler = await bundledHandler()
    const log = console.log
    console.log = () => undefined
    try {
      expect(await handler(JSON.parse('{"__proto__": "p", "owner": {"id": "o"}}'), context)).toBe('ran')
      expect(await handler(JSON.parse('{"owner": {"id": 5}}'), context)).toBeUndefined()
    } finally {
      console.log = log
    }
    const sent = (globalThis as { sent?: unknown[] }).sent ?? []
    expect(sent).toHaveLength(1)
    expect(JSON.stringify(sent[0])).toContain('payload.__proto__: is required; payload.owner.id: expected string, got number 5')
  })
})
