import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedInvoke {
  method: string
  path: string
  functionName: string
  headers: IncomingMessage['headers']
  body: string
}

/** How to answer one request: a status (with the error type Lambda would send), a delay, or a dropped connection. */
export type Answer = { status: number; body?: string; errorType?: string; delayMs?: number } | { reset: true }

export interface LambdaTestServer {
  endpoint: string
  requests: RecordedInvoke[]
  /** The most requests that were open at once. */
  maxInFlight: number
  /** Sets how the next requests are answered; the default is 202 with a request id. */
  respond(handler: (request: RecordedInvoke, index: number) => Answer): void
  close(): Promise<void>
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

const ERROR_TYPES: Record<number, string> = {
  400: 'InvalidRequestContentException',
  404: 'ResourceNotFoundException',
  429: 'TooManyRequestsException',
  500: 'ServiceException',
}

/** A loopback HTTP server that speaks the part of the Lambda API an Event invoke uses, records every request and injects faults. */
export async function startLambdaServer(): Promise<LambdaTestServer> {
  const requests: RecordedInvoke[] = []
  let handler: (request: RecordedInvoke, index: number) => Answer = () => ({ status: 202 })
  let inFlight = 0
  const state = { maxInFlight: 0 }
  const server: Server = createServer((req, res) => {
    inFlight++
    state.maxInFlight = Math.max(state.maxInFlight, inFlight)
    res.on('close', () => inFlight--)
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      const match = INVOKE_PATH.exec(path)
      const recorded = { method: req.method ?? '', path, functionName: decodeURIComponent(match?.[1] ?? ''), headers: req.headers, body }
      requests.push(recorded)
      const answer: Answer = match ? handler(recorded, requests.length - 1) : { status: 404, body: '{"message":"unknown path"}' }
      if ('reset' in answer) {
        req.socket.destroy()
        return
      }
      const send = () => {
        const headers: Record<string, string> = { 'x-amzn-requestid': `req-${requests.length}`, 'content-type': 'application/json' }
        const errorType = answer.errorType ?? ERROR_TYPES[answer.status]
        if (answer.status >= 400 && errorType) headers['x-amzn-errortype'] = errorType
        res.writeHead(answer.status, headers).end(answer.body ?? (answer.status >= 400 ? `{"Type":"Service","message":"injected ${answer.status}"}` : ''))
      }
      if (answer.delayMs) setTimeout(send, answer.delayMs)
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return state.maxInFlight
    },
    set maxInFlight(value: number) {
      state.maxInFlight = value
    },
    respond: (next) => {
      handler = next
    },
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    },
  }
}
