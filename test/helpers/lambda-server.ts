import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedInvoke {
  method: string
  path: string
  functionName: string
  headers: IncomingMessage['headers']
  body: string
}

export interface LambdaTestServer {
  endpoint: string
  requests: RecordedInvoke[]
  /** Sets how the next requests are answered; default 202 with a request id. */
  respond(handler: (request: RecordedInvoke) => { status: number; body?: string }): void
  close(): Promise<void>
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

/** A loopback HTTP server that speaks the part of the Lambda API an Event invoke uses, and records every request. */
export async function startLambdaServer(): Promise<LambdaTestServer> {
  const requests: RecordedInvoke[] = []
  let handler = (_: RecordedInvoke) => ({ status: 202, body: '' })
  let counter = 0
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      const match = INVOKE_PATH.exec(path)
      const recorded = { method: req.method ?? '', path, functionName: decodeURIComponent(match?.[1] ?? ''), headers: req.headers, body }
      requests.push(recorded)
      const answer = match ? handler(recorded) : { status: 404, body: '{"Type":"User","message":"unknown path"}' }
      const headers: Record<string, string> = { 'x-amzn-requestid': `req-${++counter}`, 'content-type': 'application/json' }
      if (answer.status === 404) headers['x-amzn-errortype'] = 'ResourceNotFoundException'
      res.writeHead(answer.status, headers).end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    respond: (next) => {
      handler = (r) => ({ body: '', ...next(r) })
    },
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
