import { describe, expect, it } from 'vitest'
import type { BundleRequest, FunctionBundle } from '../../generator/bundle/bundle-functions.js'
import { BundlePlaceholders } from '../../generator/synth/bundle-refs.js'
import { withoutTokenStackTraces } from '../../generator/synth/synth-stacks.js'

const request = (key: string) => ({ key, task: undefined }) as unknown as BundleRequest
const bundle = (key: string, fileName: string, hash: string) => ({ key, task: undefined, fileName, hash, zip: Buffer.alloc(0), inputs: [] }) as FunctionBundle

describe('bundle placeholders', () => {
  it("fill puts each bundle's file name and hash where its placeholders are, escaped for JSON", () => {
    const placeholders = new BundlePlaceholders([request('a/one'), request('a/two')])
    const [one, two] = placeholders.refs
    const text = JSON.stringify({ f1: `assets/${one!.fileName}`, h1: one!.hash, f2: two!.fileName, h2: two!.hash, both: `${one!.hash}${two!.hash}` })
    const bundles = new Map([
      ['a/one', bundle('a/one', 'a-one-0123.zip', 'AB+/cd==')],
      ['a/two', bundle('a/two', 'we"ird\\name.zip', 'EF==')],
    ])
    expect(JSON.parse(placeholders.fill(text, bundles))).toEqual({
      f1: 'assets/a-one-0123.zip',
      h1: 'AB+/cd==',
      f2: 'we"ird\\name.zip',
      h2: 'EF==',
      both: 'AB+/cd==EF==',
    })
  })

  it("another run's placeholders (another nonce) and look-alike user text are left alone", () => {
    const mine = new BundlePlaceholders([request('a/one')])
    const other = new BundlePlaceholders([request('a/one')])
    const text = `${other.refs[0]!.fileName} task-gen-bundle-0-file task-gen-bundle-deadbeef-0-hash`
    expect(mine.fill(text, new Map([['a/one', bundle('a/one', 'x.zip', 'h')]]))).toBe(text)
  })

  it('a placeholder without its bundle is an internal error, not a silent hole', () => {
    const placeholders = new BundlePlaceholders([request('a/one')])
    expect(() => placeholders.fill(placeholders.refs[0]!.hash, new Map())).toThrow(/internal: no bundle for placeholder 0 \(a\/one\)/)
  })
})

describe('withoutTokenStackTraces', () => {
  it("skips only cdktf's full-depth captures, and restores Error's hooks afterwards", () => {
    const { captureStackTrace, prepareStackTrace, stackTraceLimit } = Error
    const seen = withoutTokenStackTraces(() => {
      const ordinary: { stack?: string } = {}
      Error.captureStackTrace(ordinary)
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER
      const fullDepth: { stack?: string } = {}
      Error.captureStackTrace(fullDepth)
      Error.stackTraceLimit = stackTraceLimit
      return { ordinary: Object.hasOwn(ordinary, 'stack'), fullDepth: fullDepth.stack }
    })
    expect(seen).toEqual({ ordinary: true, fullDepth: '' })
    expect(Error.captureStackTrace).toBe(captureStackTrace)
    expect(Error.prepareStackTrace).toBe(prepareStackTrace)
    const after: { stack?: string } = {}
    Error.captureStackTrace(after)
    expect(after.stack).toMatch(/bundle-refs\.test/)
  })
})
