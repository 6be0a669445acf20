import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createGenerateSession } from '../../generator/generate-session.js'
import { buildClient } from '../../generator/generate.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

afterAll(removeTempDirs)

const ORDER_TYPES = 'src/types/order.ts'

/** Adds a property to the processOrder payload, in a type file the handler imports. */
function addCouponField(shop: string): void {
  const path = join(shop, ORDER_TYPES)
  writeFileSync(path, readFileSync(path, 'utf8').replace('  priority?: Priority\n', '  priority?: Priority\n  /** A coupon code. */\n  coupon?: string\n'))
}

describe('a generate session', () => {
  it('after an edit, regenerates exactly what a cold build gives, with or without naming the changed file', async () => {
    const shop = copyShop('session')
    const options = { configFile: join(shop, 'task-gen.json'), out: join(shop, 'out') }
    const named = createGenerateSession(options)
    const unnamed = createGenerateSession(options)
    const first = await named.generate()
    await unnamed.generate()
    expect(first.files).toEqual((await buildClient(options)).files)

    addCouponField(shop)
    const warmNamed = await named.generate([join(shop, ORDER_TYPES)])
    const warmUnnamed = await unnamed.generate()
    const cold = await buildClient(options)
    expect(cold.files.get('index.d.ts')).toContain('coupon?: string')
    expect(warmNamed.files).toEqual(cold.files)
    expect(warmUnnamed.files).toEqual(cold.files)
  })

  it('reports a handler file deleted since the last run, and does not throw while refreshing', async () => {
    const shop = copyShop('session-delete')
    const session = createGenerateSession({ configFile: join(shop, 'task-gen.json'), out: join(shop, 'out') })
    await session.generate()
    const handler = join(shop, 'src/reports/cleanup-exports.ts')
    rmSync(handler)
    await expect(session.generate([handler])).rejects.toThrow(/cleanup-exports/)
  })
})
