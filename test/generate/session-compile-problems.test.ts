import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createGenerateSession } from '../../generator/generate-session.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** The message of what `run` rejects with, or 'ok'. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  return run().then(
    () => 'ok',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  )
}

describe('a generate session reuses a handler file’s type errors only while nothing it reaches changed', () => {
  it('an edit of the file itself, of a file it imports, and a new script’s globals are each seen on the next run', async () => {
    const shop = copyShop('session-problems')
    const recordSale = join(shop, 'src/reports/record-sale.ts')
    const limit = join(shop, 'src/limit.ts')
    const globals = join(shop, 'src/globals.ts')
    const original = readFileSync(recordSale, 'utf8')
    writeFileSync(limit, 'export const LIMIT = 5\n')
    writeFileSync(recordSale, `import { LIMIT } from '../limit.js'\n${original}\nexport const limit: number = LIMIT\n`)
    const session = createGenerateSession({ configFile: join(shop, 'task-gen.json'), out: join(shop, 'out') })
    expect(await outcome(() => session.generate())).toBe('ok')

    // The file itself.
    writeFileSync(recordSale, `${readFileSync(recordSale, 'utf8')}export const broken: number = 'no'\n`)
    expect(await outcome(() => session.generate([recordSale]))).toMatch(/tasks\.recordSale: Type 'string' is not assignable to type 'number'/)
    writeFileSync(recordSale, readFileSync(recordSale, 'utf8').replace("export const broken: number = 'no'\n", ''))
    expect(await outcome(() => session.generate([recordSale]))).toBe('ok')

    // A file it imports: record-sale.ts is unchanged, its check is not.
    writeFileSync(limit, "export const LIMIT = 'five'\n")
    expect(await outcome(() => session.generate([limit]))).toMatch(/tasks\.recordSale: Type 'string' is not assignable to type 'number'/)
    writeFileSync(limit, 'export const LIMIT = 5\n')
    expect(await outcome(() => session.generate([limit]))).toBe('ok')

    // A script nobody imports, whose global the file uses: it reaches the file all the same.
    writeFileSync(recordSale, `${readFileSync(recordSale, 'utf8')}export const flag: number = TASK_FLAG\n`)
    expect(await outcome(() => session.generate([recordSale]))).toMatch(/Cannot find name 'TASK_FLAG'/)
    writeFileSync(globals, 'declare const TASK_FLAG: number\n')
    expect(await outcome(() => session.generate([globals]))).toBe('ok')
  })
})
