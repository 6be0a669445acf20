// Preloaded with `node --import` into benchmarked node processes: writes the process's peak
// resident memory (KB, from getrusage) to TASK_GEN_BENCH_RSS_FILE when it exits.
import { writeFileSync } from 'node:fs'

const file = process.env.TASK_GEN_BENCH_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
