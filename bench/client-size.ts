// `npm run bench:client-size`: the client-size benchmark alone (Stripe 20's Stripe.Event: index.d.ts,
// manifest and numbered names, beside the numbers before and their budgets). Exits 1 when a budget
// is missed. It writes no report: `npm run bench` records it with the rest.
import { join } from 'node:path'
import { clientSizeTable, CLIENT_SIZE_MEASURES, measureClientSize } from './benchmarks/client-size.js'
import { WORK_DIR } from './lib/paths.js'

const size = await measureClientSize(join(WORK_DIR, 'stripe-event'))
console.log(clientSizeTable(size))
if (CLIENT_SIZE_MEASURES.some((m) => size[m.key] > m.budget)) process.exitCode = 1
