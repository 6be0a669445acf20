// A fresh process: generate cold with a session, then edit one handler's payload and regenerate
// warm, several times. Prints {coldMs, warmMs[]} as JSON. Argv: <config> <handler file> <edits>.
import { readFileSync, writeFileSync } from 'node:fs'
import { createGenerateSession } from '../../generator/generate-session.js'
import { writeClient, type GeneratedClient } from '../../generator/generate.js'

const [configFile, handler, editsArg] = process.argv.slice(2) as [string, string, string]
const original = readFileSync(handler, 'utf8')
const MARKER = '  requestId: string\n'

/** Every other edit adds a property to the payload, the next removes it again. */
function edited(round: number): { text: string; expectsField: boolean } {
  const expectsField = round % 2 === 0
  if (!original.includes(MARKER)) throw new Error(`warm-regenerate: ${handler} has no "requestId: string" line to edit`)
  return { text: expectsField ? original.replace(MARKER, `${MARKER}  note${round}?: string\n`) : original, expectsField }
}

async function timed(run: () => Promise<GeneratedClient>): Promise<{ ms: number; client: GeneratedClient }> {
  const started = performance.now()
  const client = await run()
  await writeClient(client)
  return { ms: performance.now() - started, client }
}

const session = createGenerateSession({ configFile })
const cold = await timed(() => session.generate())
const warmMs: number[] = []
try {
  for (let round = 0; round < Number(editsArg); round++) {
    const { text, expectsField } = edited(round)
    writeFileSync(handler, text)
    const warm = await timed(() => session.generate([handler]))
    // A warm run that missed the edit would be fast and wrong: refuse to time it.
    if (warm.client.files.get('index.d.ts')!.includes(`note${round}?: string`) !== expectsField)
      throw new Error(`warm-regenerate: round ${round} did not pick up the edit`)
    warmMs.push(warm.ms)
  }
} finally {
  writeFileSync(handler, original)
}
console.log(JSON.stringify({ coldMs: cold.ms, warmMs }))
