import { describe, expect, it } from 'vitest'
import { clientManifest } from '../../generator/extract/client-manifest.js'
import { loadInMemory, minimalConfig, problemsOf } from '../helpers/project.js'

describe('payloads', () => {
  it('is off without the key: no bucket, and the manifest says nothing (a payload over 1 MB is refused)', () => {
    const model = loadInMemory(minimalConfig())
    expect(model.payloads).toBeUndefined()
    expect(clientManifest(model, { tasks: [], defs: {} })).not.toHaveProperty('payloads')
  })

  it('{} takes the defaults: offload above 960 KB, at most 100 MB, to <app>-<stage>-payloads', () => {
    const model = loadInMemory(minimalConfig({ payloads: {} }), { stage: 'prod' })
    expect(model.payloads).toEqual({ offloadAboveBytes: 983_040, maxBytes: 104_857_600, bucket: 'shop-prod-payloads' })
    expect(clientManifest(model, { tasks: [], defs: {} }).payloads).toEqual({ offloadAbove: 983_040, maxSize: 104_857_600 })
  })

  it('reads sizes in bytes', () => {
    const model = loadInMemory(minimalConfig({ payloads: { offloadAbove: '256 KB', maxSize: '1 GB' } }))
    expect(model.payloads).toMatchObject({ offloadAboveBytes: 262_144, maxBytes: 1_073_741_824 })
  })

  it('refuses what cannot work, every problem at once, at its config path', () => {
    expect(problemsOf(minimalConfig({ payloads: { offloadAbove: '2 MB', maxSize: '6 GB', bucket: 'x' } }))).toEqual([
      'payloads.offloadAbove: must be from 1 B to 1048576 B, got "2 MB"',
      'payloads.maxSize: must be from 1 B to 5368709120 B, got "6 GB"',
      'payloads.bucket: unknown key "bucket" (expected one of: offloadAbove, maxSize)',
    ])
    expect(problemsOf(minimalConfig({ payloads: { maxSize: '512 KB' } }))).toEqual([
      'payloads.maxSize: must be at least offloadAbove (983040 bytes), got 524288 bytes',
    ])
    expect(problemsOf(minimalConfig({ payloads: { offloadAbove: '256kb' } }))).toEqual([
      'payloads.offloadAbove: expected a size like "512 MB" (an integer, a space, and B, KB, MB or GB), got "256kb"; did you mean "256 KB"?',
    ])
  })

  it("refuses a bucket name over S3's 63 characters, showing it", () => {
    const app = 'a'.repeat(44)
    const stacks = { o: { tasks: { t: './src/process-order.ts' } } }
    expect(problemsOf(minimalConfig({ app, stacks }), { stage: 'production' })).toEqual([])
    expect(problemsOf(minimalConfig({ app, stacks, payloads: {} }), { stage: 'production' })).toEqual([
      `payloads: the S3 bucket name "${app}-production-payloads" (stage "production") is 64 characters; AWS allows 63. Shorten the app, stage, stack or task name`,
    ])
  })
})
