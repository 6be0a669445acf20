/** One side of a comparison: a name and one run of it, returning its samples (usually one). */
export interface Contender<T> {
  name: string
  run: () => Promise<T>
}

/**
 * Runs each contender `runs` times, interleaved round by round, and rotates the order every round
 * so that no side always runs first (warmer caches) or last (a busier machine). Why: the machine
 * is shared, so a slow minute must hit every side alike.
 */
export async function alternate<T>(contenders: readonly Contender<T>[], runs: number, onRun?: (name: string, value: T) => void): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(contenders.map((c) => [c.name, []]))
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length]!
      const value = await contender.run()
      results.get(contender.name)!.push(value)
      onRun?.(contender.name, value)
    }
  }
  return results
}
