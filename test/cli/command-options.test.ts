import { describe, expect, it } from 'vitest'
import { typeErrors } from '../helpers/tsc.js'

describe("a command's options", () => {
  it('are typed from their parseArgs spec in its run: a misspelled option or a wrong type does not compile (command-options-types.ts)', () => {
    expect(typeErrors('test/cli/command-options-types.ts')).toEqual([])
  }, 60_000)
})
