import { describe, expect, it } from 'vitest'
import { VALIDATE_AHEAD, validateAhead } from '../../runtime/client/batch.js'

describe('validateAhead', () => {
  it('validates a run of payloads when the calls reach its first, and gives each its own issues', () => {
    const payloads = Array.from({ length: VALIDATE_AHEAD * 2 + 3 }, (_, i) => i)
    const checkedAt: number[] = []
    const issuesOf = validateAhead(payloads, (payload) => {
      checkedAt.push(payload as number)
      return (payload as number) % 100 === 0 ? [{ path: 'payload', message: `bad ${payload}` }] : []
    })
    expect(checkedAt).toEqual([]) // nothing before the first call
    expect(issuesOf(0)).toEqual([{ path: 'payload', message: 'bad 0' }])
    expect(checkedAt).toEqual(payloads.slice(0, VALIDATE_AHEAD))
    for (let i = 1; i < VALIDATE_AHEAD; i++) expect(issuesOf(i)).toEqual(i % 100 === 0 ? [{ path: 'payload', message: `bad ${i}` }] : [])
    expect(checkedAt).toHaveLength(VALIDATE_AHEAD) // still the first run
    expect(issuesOf(VALIDATE_AHEAD)).toEqual([])
    expect(checkedAt).toHaveLength(VALIDATE_AHEAD * 2)
    for (let i = VALIDATE_AHEAD + 1; i < payloads.length; i++) issuesOf(i)
    expect(checkedAt).toEqual(payloads) // each payload validated exactly once, in order
  })

  it('without a check, each call validates its own payload', () => {
    const issuesOf = validateAhead([1, 2, 3], undefined)
    expect([0, 1, 2].map(issuesOf)).toEqual([undefined, undefined, undefined])
  })
})
