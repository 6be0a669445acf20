import { Testing } from 'cdktf'
import { expect } from 'vitest'

/** cdktf's Testing matchers, for vitest: `expect(json).toHaveResourceWithProperties(type, props)`. */
interface CdktfMatchers<R = unknown> {
  toHaveResourceWithProperties(resourceType: string, properties: Record<string, unknown>): R
  toHaveResource(resourceType: string): R
  toHaveDataSource(resourceType: string): R
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends CdktfMatchers<T> {}
}

expect.extend({
  toHaveResourceWithProperties(received: string, resourceType: string, properties: Record<string, unknown>) {
    return {
      pass: Testing.toHaveResourceWithProperties(received, resourceType, properties),
      message: () =>
        `expected a ${resourceType} with ${JSON.stringify(properties)} in the stack; it has: ${JSON.stringify(JSON.parse(received).resource?.[resourceType] ?? {}, null, 1)}`,
    }
  },
  toHaveResource(received: string, resourceType: string) {
    return { pass: Testing.toHaveResource(received, resourceType), message: () => `expected a ${resourceType} in the stack` }
  },
  toHaveDataSource(received: string, resourceType: string) {
    return { pass: Testing.toHaveDataSource(received, resourceType), message: () => `expected a data source ${resourceType} in the stack` }
  },
})
