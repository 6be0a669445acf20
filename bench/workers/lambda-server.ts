// A lean loopback stand-in for the Lambda Invoke API (../lib/lambda-api.ts), in its own process so
// that it does not share the benchmark's event loop. Prints its port, then serves until killed.
import type { AddressInfo } from 'node:net'
import { lambdaApiServer } from '../lib/lambda-api.js'

const server = lambdaApiServer()
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port))
