import { describe, expect, it } from 'vitest'
import { CLIENT_API_NAMES } from '../../generator/emit/client-api-names.js'
import { templateBindings } from '../../generator/emit/template-bindings.js'

describe('CLIENT_API_NAMES', () => {
  it('is exactly what the index templates bind at their top level, in their order', () => {
    expect(CLIENT_API_NAMES).toEqual([...new Set([...templateBindings('index.d.ts'), ...templateBindings('index.js')])])
  })

  it('would see a name a template starts to bind (the parse is not a stub)', () => {
    expect(templateBindings('index.js')).toContain('configure')
    expect(templateBindings('index.d.ts')).toContain('TaskInvokeError')
  })
})
