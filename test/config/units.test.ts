import { describe, expect, it } from 'vitest'
import { formatSeconds, parseDuration, parseSize } from '../../generator/config/units.js'

describe('parseSize', () => {
  it.each([
    ['128 MB', 'MB', 128],
    ['10240 MB', 'MB', 10240],
    ['1 GB', 'MB', 1024],
    ['10 GB', 'MB', 10240],
    ['131072 KB', 'MB', 128],
    ['134217728 B', 'MB', 128],
    ['0 MB', 'MB', 0],
    ['2 KB', 'B', 2048],
  ] as const)('%s in %s is %d', (text, unit, expected) => {
    expect(parseSize(text, unit)).toEqual({ ok: true, value: expected })
  })

  it.each([
    ['512mb', 'did you mean "512 MB"?'],
    ['512  MB', 'expected a size like "512 MB"'],
    ['1.5 GB', 'expected a size like "512 MB"'],
    ['-1 MB', 'expected a size like "512 MB"'],
    ['512 mb', 'did you mean "512 MB"?'],
    ['512 MiB', 'did you mean "512 MB"?'],
    ['512 TB', 'got "512 TB"'],
    ['', 'got ""'],
    [' 512 MB', 'expected a size'],
  ])('refuses %j', (text, message) => {
    const result = parseSize(text, 'MB')
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.message).toContain(message)
  })

  it('refuses a size that is not a whole number of the unit', () => {
    expect(parseSize('1000 KB', 'MB')).toEqual({ ok: false, message: 'must be a whole number of MB, got "1000 KB" (0.977 MB)' })
  })

  it('refuses non-strings and says what it got', () => {
    expect(parseSize(512, 'MB')).toMatchObject({ ok: false, message: expect.stringContaining('got number 512') })
    expect(parseSize(null, 'MB')).toMatchObject({ ok: false, message: expect.stringContaining('got null') })
  })

  it('refuses sizes beyond safe integers', () => {
    expect(parseSize('99999999999999999999 GB', 'MB')).toMatchObject({ ok: false, message: expect.stringContaining('too large') })
  })
})

describe('parseDuration', () => {
  it.each([
    ['1 second', 1],
    ['30 seconds', 30],
    ['1 minute', 60],
    ['2 minutes', 120],
    ['15 minutes', 900],
    ['6 hours', 21600],
    ['1 hour', 3600],
    ['14 days', 1209600],
    ['1 seconds', 1],
    ['0 seconds', 0],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: seconds })
  })

  it.each([
    ['30s', 'did you mean "30 second"?'],
    ['2 mins', 'did you mean "2 minute"?'],
    ['2 Minutes', 'did you mean "2 minute"?'],
    ['1.5 hours', 'expected a duration like "30 seconds"'],
    ['an hour', 'got "an hour"'],
    ['10 weeks', 'got "10 weeks"'],
    ['10', 'got "10"'],
  ])('refuses %j', (text, message) => {
    const result = parseDuration(text)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.message).toContain(message)
  })

  it('refuses a number of seconds without a unit', () => {
    expect(parseDuration(30)).toMatchObject({ ok: false, message: expect.stringContaining('got number 30') })
  })
})

describe('formatSeconds', () => {
  it.each([
    [1, '1 second'],
    [59, '59 seconds'],
    [60, '1 minute'],
    [900, '15 minutes'],
    [3600, '1 hour'],
    [21600, '6 hours'],
    [90, '90 seconds'],
    [86400, '1 day'],
  ])('%d → %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text)
  })
})
