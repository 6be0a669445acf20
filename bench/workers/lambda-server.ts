// A lean loopback stand-in for the Lambda Invoke API, in its own process so that it does not share
// the benchmark's event loop: every request is read to the end and answered 202 with a request id,
// as Lambda accepts an Event invoke. Prints its port, then serves until killed.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

let count = 0
const server = createServer((req, res) => {
  req.on('data', () => {})
  req.on('end', () => {
    res.writeHead(202, { 'x-amzn-requestid': `req-${++count}`, 'content-type': 'application/json', 'content-length': '0' }).end()
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port))
