import { parseDuration } from '../../config/units.js'
import { commonOptions, defineCommand, UsageError } from '../commands.js'
import { EXIT } from '../io.js'
import { configFileOption, stageOption } from '../options.js'

/** Lambda's delays before the second and third attempt of a failed async event (docs/lambda-facts.md). */
const LAMBDA_RETRY_DELAYS_MS = [60_000, 120_000] as const
const DEFAULT_PORT = 3013

function portOption(value: unknown): number {
  if (value === undefined) return DEFAULT_PORT
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number from 0 to 65535 (0: any free port), got "${String(value)}"`)
  return port
}

function retryDelaysOption(value: unknown): readonly [number, number] {
  if (value === undefined) return LAMBDA_RETRY_DELAYS_MS
  const parsed = parseDuration(value)
  if (!parsed.ok) throw new UsageError(`--retry-delay: ${parsed.message}`)
  return [parsed.value * 1000, parsed.value * 1000]
}

function accountIdOption(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new UsageError(`--account-id: expected an AWS account id, 12 digits, got "${String(value)}"`)
  return value
}

/** A clock speed-up, `--schedule-speed` or `--delay-speed`: 1 to 1,000,000. */
function speedOption(value: unknown, flag: string): number {
  if (value === undefined) return 1
  const speed = Number(value)
  if (!/^\d+(\.\d+)?$/.test(String(value)) || !(speed >= 1) || speed > 1_000_000)
    throw new UsageError(`${flag}: expected a number from 1 to 1000000, got "${String(value)}"`)
  return speed
}

export const devCommand = defineCommand({
  name: 'dev',
  summary: "run the tasks locally with Lambda's async semantics",
  options: {
    ...commonOptions,
    port: { type: 'string', value: '<port>', description: `port of the local Lambda endpoint on 127.0.0.1 (default: ${DEFAULT_PORT}; 0: any free port)` },
    'retry-delay': { type: 'string', value: '<duration>', description: 'delay before each retry, e.g. "1 second" (default: as Lambda, 1 then 2 minutes)' },
    'account-id': {
      type: 'string',
      value: '<12 digits>',
      description: 'the account in the ARNs handlers see (context.invokedFunctionArn, failure records) (default: 000000000000)',
    },
    'no-schedules': { type: 'boolean', description: "don't fire the tasks' schedules" },
    'schedule-speed': {
      type: 'string',
      value: '<n>',
      description: 'run the schedules\' clock n times faster than real time, e.g. 60: a "1 minute" rate fires every second (default: 1)',
    },
    'delay-speed': {
      type: 'string',
      value: '<n>',
      description: 'run delayed calls n times sooner than asked, e.g. 60: a "10 minutes" delay waits 10 seconds (default: 1)',
    },
  },
  async run({ values, io }) {
    const port = portOption(values.port)
    const retryDelaysMs = retryDelaysOption(values['retry-delay'])
    const accountId = accountIdOption(values['account-id'])
    const schedules = { enabled: values['no-schedules'] !== true, speed: speedOption(values['schedule-speed'], '--schedule-speed') }
    const delaySpeed = speedOption(values['delay-speed'], '--delay-speed')
    const { startDev } = await import('../../dev/start-dev.js') // the dev runtime, and ts-morph with it, loads only for dev
    const server = await startDev({
      configFile: configFileOption(values),
      stage: stageOption(values),
      port,
      retryDelaysMs,
      accountId,
      io,
      colour: process.stdout.isTTY === true,
      schedules,
      delaySpeed,
    })
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await server.close()
    io.stdout('task-gen dev: stopped')
    return EXIT.ok
  },
})
