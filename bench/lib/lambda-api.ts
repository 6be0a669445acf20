// The benchmarks' stand-in for the Lambda Invoke API: every request is read to the end and
// answered 202 with a request id, as Lambda accepts an Event invoke. It counts what it received,
// so that a benchmark can check each side really invoked (GET /bench/stats), without timing it.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the server has received since it started. */
export interface LambdaStats {
  /** Invoke requests answered. */
  invokes: number
  /** Body bytes of all of them. */
  bytes: number
  /** The largest body, in bytes. */
  largest: number
  /** The last body as text, when it was at most 64 KB (else empty). */
  last: string
}

const STATS_PATH = '/bench/stats'
const KEEP_LAST_BYTES = 64 * 1024

export function lambdaApiServer(): Server {
  const stats: LambdaStats = { invokes: 0, bytes: 0, largest: 0, last: '' }
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === STATS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= KEEP_LAST_BYTES) chunks.push(chunk)
    })
    req.on('end', () => {
      stats.invokes++
      stats.bytes += size
      stats.largest = Math.max(stats.largest, size)
      stats.last = size <= KEEP_LAST_BYTES ? Buffer.concat(chunks).toString('utf8') : ''
      res.writeHead(202, { 'x-amzn-requestid': `req-${stats.invokes}`, 'content-type': 'application/json', 'content-length': '0' }).end()
    })
  })
  server.keepAliveTimeout = 60_000
  return server
}

/** A running server: where it listens, and how to stop it. */
export interface LambdaServer {
  endpoint: string
  stop(): Promise<void>
}

/** The server in this process (tests); the benchmarks run it in its own process (./lambda-server.ts). */
export function listenInProcess(): Promise<LambdaServer> {
  const server = lambdaApiServer()
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

/** What the server at `endpoint` has received so far. */
export async function lambdaStats(endpoint: string): Promise<LambdaStats> {
  const response = await fetch(`${endpoint}${STATS_PATH}`)
  if (!response.ok) throw new Error(`${endpoint}${STATS_PATH} answered ${response.status}`)
  return (await response.json()) as LambdaStats
}
