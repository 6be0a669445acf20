import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { HANDLER_VARIANTS } from '../../bench/app/handler-source.js'
import { writeSyntheticApp } from '../../bench/app/synthetic-app.js'
import { loadAndExtract } from '../../generator/generate.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { runTsc } from '../helpers/tsc.js'

afterAll(removeTempDirs)

describe('the benchmark synthetic app', () => {
  it('with N=12: passes task-gen check with N tasks over several stacks, and tsc --noEmit on its tsconfig', async () => {
    const app = writeSyntheticApp({ dir: join(tempDir('synthetic-app'), 'app'), tasks: 12 })
    const { model, extraction } = await loadAndExtract({ configFile: app.configFile })
    expect(extraction.tasks).toHaveLength(12)
    expect(model.stacks.length).toBeGreaterThanOrEqual(2)
    expect(new Set(app.tasks.map((t) => t.variant))).toEqual(new Set(HANDLER_VARIANTS))
    expect(extraction.onFailureExport).toBe('default')
    expect(runTsc(app.tsconfigFile)).toEqual({ code: 0, output: '' })
  })
})
