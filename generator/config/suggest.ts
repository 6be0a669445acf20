function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]!
}

function commonPrefix(a: string, b: string): number {
  let n = 0
  while (n < a.length && n < b.length && a[n] === b[n]) n++
  return n
}

/**
 * The known word that `word` was most likely meant to be, or undefined when none is close.
 * Close means a few typos away, or sharing a prefix of at least four letters (or the whole word),
 * so that `retries` suggests `retryAttempts` and `memory` suggests `memorySize`.
 */
export function suggest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase()
  let best: { candidate: string; score: number } | undefined
  for (const candidate of known) {
    const other = candidate.toLowerCase()
    const distance = editDistance(lower, other)
    const prefix = commonPrefix(lower, other)
    const close = distance <= Math.max(1, Math.floor(lower.length / 3))
    const sharesStart = prefix >= Math.min(4, lower.length) && lower.length >= 3
    if (!close && !sharesStart) continue
    const score = distance - prefix
    if (!best || score < best.score) best = { candidate, score }
  }
  return best?.candidate
}
