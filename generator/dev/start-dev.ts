import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import type { CliIo } from '../process/io.js'
import { UserError } from '../errors/problem.js'
import { formatProblems } from '../errors/format-problems.js'
import { EnvironmentError } from '../errors/environment-error.js'
import { describeInternalError } from '../errors/internal-error.js'
import { DEFAULTS } from '../model/defaults.js'
import { DevOutput } from './dev-output.js'
import { DevSupervisor } from './dev-supervisor.js'
import { describeSchedule, DevSchedules, type ScheduleSettings } from './dev-schedules.js'
import { DevDelays } from './dev-delays.js'
import { startLambdaApi } from './lambda-api.js'
import { LOCAL_ACCOUNT } from './local-arns.js'
import { payloadObjectsDir } from './payload-objects.js'
import type { S3Target } from './s3-api.js'
import { claimDevStage, type DevClaim } from './state.js'
import { createProjectWatcher } from './watch-project.js'

export interface DevOptions {
  configFile: string
  stage: string | undefined
  port: number
  retryDelaysMs: readonly [number, number]
  /** The account the local ARNs name; a stand-in when not given. */
  accountId?: string
  io: CliIo
  colour: boolean
  /** @default on, in real time */
  schedules?: ScheduleSettings
  /** How fast delayed calls' clock runs (`--delay-speed`). @default 1: in real time */
  delaySpeed?: number
}

export interface DevServer {
  endpoint: string
  close(): Promise<void>
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → the name. */
function functionNameOfArn(arn: string): string {
  return arn.split(':')[6] ?? ''
}

/** `arn:aws:sqs:<region>:<account>:<name>` → the name; undefined for an ARN of another service. */
function queueNameOfArn(arn: string): string | undefined {
  const parts = arn.split(':')
  return parts[2] === 'sqs' ? parts[5] : undefined
}

/** What a queue task's schedule sends: its input as the message body, `{}` for none (SQS refuses an empty body). */
function messageBodyOf(input: string | undefined): string {
  return input === undefined || input === '' ? '{}' : input
}

/** A schedule's input as the event Lambda receives: its JSON, or `{}` for none. */
function inputOf(input: string | undefined): unknown {
  if (input === undefined) return {}
  try {
    return JSON.parse(input)
  } catch {
    return input
  }
}

/** The payload bucket as the app is now (a reload may add, drop or resize it): objects under `.task-gen/dev/payloads/<bucket>/`. */
function payloadBucket(runtime: DevSupervisor): S3Target {
  return {
    bucket: () => {
      const model = runtime.model
      if (!model?.payloads) return undefined
      const name = model.payloads.bucket
      return { name, dir: payloadObjectsDir(model.rootDir, name), maxPayloadBytes: model.payloads.maxBytes }
    },
  }
}

/** Why the endpoint could not listen, when the machine is the reason: the user's to fix. */
function listenFailure(error: unknown, port: number): unknown {
  const where = `port ${port} on 127.0.0.1`
  switch ((error as { code?: string }).code) {
    case 'EADDRINUSE':
      return new EnvironmentError(`${where} is in use (another \`task-gen dev\`, or another server?); choose another with --port, or --port 0 for any free one`)
    case 'EACCES':
      return new EnvironmentError(`${where} needs privileges this user does not have; choose a port above 1023 with --port`)
    case 'EADDRNOTAVAIL':
      return new EnvironmentError(`${where} cannot be used on this machine (no loopback address 127.0.0.1?); check the network setup`)
    default:
      return error
  }
}

/**
 * `task-gen dev`, as a recipe: load and build everything (generating the client), start the Lambda
 * endpoint, then rebuild on every change, keeping the last good version when a change is invalid.
 */
export async function startDev(options: DevOptions): Promise<DevServer> {
  const claim = await claimStage(options)
  try {
    return await serve(options, claim)
  } catch (error) {
    claim?.release()
    throw error
  }
}

/**
 * Refuses a second dev for the same config and stage before it builds anything. Without a config
 * file there is no project folder to keep state in: loading reports that.
 */
async function claimStage(options: DevOptions): Promise<DevClaim | undefined> {
  const configFile = resolve(options.configFile)
  if (!existsSync(configFile)) return undefined
  return claimDevStage(dirname(configFile), options.stage ?? DEFAULTS.stage, relative(process.cwd(), configFile) || configFile)
}

async function serve(options: DevOptions, claim: DevClaim | undefined): Promise<DevServer> {
  const output = new DevOutput(options.io, options.colour)
  const runtime = new DevSupervisor(
    { configFile: options.configFile, stage: options.stage, retryDelaysMs: options.retryDelaysMs, accountId: options.accountId ?? LOCAL_ACCOUNT },
    output,
  )
  await runtime.load()
  const model = runtime.model!
  const delays = new DevDelays(
    { speed: options.delaySpeed ?? 1, region: model.region, account: options.accountId ?? LOCAL_ACCOUNT },
    {
      knows: (arn) => {
        const queueName = queueNameOfArn(arn)
        return queueName !== undefined ? runtime.taskQueue(queueName) !== undefined : runtime.target(functionNameOfArn(arn)) !== undefined
      },
      fire: (schedule) => {
        // A queue task's delayed call beyond DelaySeconds: Scheduler's SendMessage of the input to the task's queue.
        const queueName = queueNameOfArn(schedule.targetArn)
        if (queueName !== undefined) {
          const queue = runtime.taskQueue(queueName)
          if (!queue) return output.problem(`delay       ${schedule.group}/${schedule.name}: its queue ${queueName} is gone (the task was removed); dropped`)
          const sent = queue.send({ body: messageBodyOf(schedule.input) })
          output.info(`delay       ${schedule.group}/${schedule.name} fired: ${sent.messageId}`)
          return
        }
        const target = runtime.target(functionNameOfArn(schedule.targetArn))
        const requestId = randomUUID()
        output.info(`delay       ${schedule.group}/${schedule.name} fired: ${requestId}`)
        target?.enqueue(inputOf(schedule.input), requestId, { invokedFunctionArn: schedule.targetArn })
      },
    },
  )
  const api = await startLambdaApi(options.port, {
    lambda: (name) => runtime.target(name),
    sqs: (endpoint) => runtime.sqsTarget(endpoint),
    sns: runtime.snsTarget(),
    scheduler: delays.target(),
    s3: payloadBucket(runtime),
  }).catch((error: unknown) => {
    runtime.close()
    throw listenFailure(error, options.port)
  })
  claim?.publish(api.endpoint)
  // Workers start on demand, all after this: each reads offloaded payloads from here.
  runtime.servePayloadsAt(api.endpoint)
  const tasks = model.stacks.reduce((n, s) => n + s.tasks.length, 0)
  output.info(`task-gen dev: ${tasks} task(s) of ${model.app} (stage "${model.stage}") at ${api.endpoint}`)
  output.info(`Point the client at it: AWS_ENDPOINT_URL_LAMBDA=${api.endpoint}`)
  const queueTasks = model.stacks.flatMap((s) => s.tasks).filter((t) => t.queue).length
  if (model.topics.length > 0)
    output.info(
      `It serves the ${model.topics.length} topic(s) too: AWS_ENDPOINT_URL_SNS=${api.endpoint}, and AWS_ACCOUNT_ID=${options.accountId ?? LOCAL_ACCOUNT} for the topic ARNs (or AWS_ENDPOINT_URL for all)`,
    )
  if (queueTasks > 0) output.info(`It serves the ${queueTasks} task queue(s) too: AWS_ENDPOINT_URL_SQS=${api.endpoint} (or AWS_ENDPOINT_URL for both)`)
  if (model.payloads)
    output.info(`It serves the payload bucket ${model.payloads.bucket} too: AWS_ENDPOINT_URL_S3=${api.endpoint} (or AWS_ENDPOINT_URL for all)`)
  output.info(`The client ${model.client.name} is in ${relative(process.cwd(), model.client.outDir) || '.'}; watching for changes.`)
  const schedules = new DevSchedules(options.schedules ?? { enabled: true, speed: 1 }, {
    fire: (task, schedule, requestId) => {
      output.info(`schedule    ${describeSchedule(task, schedule)} fired: ${requestId}`)
      const target = runtime.target(task.names.function)
      target?.enqueue(schedule.payload, requestId, { invokedFunctionArn: target.functionArn }) // Scheduler invokes the function unqualified
    },
    info: (line) => output.info(line),
  })
  schedules.update(model)

  let reloading: Promise<void> = Promise.resolve()
  const reload = (files: string[]) => {
    reloading = reloading.then(async () => {
      const names = files.map((f) => relative(model.rootDir, f)).join(', ')
      try {
        const changed = await runtime.load(files)
        follow()
        schedules.update(runtime.model!)
        output.info(`✓ reloaded after a change to ${names}: ${changed.length > 0 ? `rebuilt ${changed.join(', ')}` : 'no task changed'}; client regenerated`)
      } catch (error) {
        const why = error instanceof UserError ? formatProblems(error.problems) : describeInternalError(error)
        output.problem(`${why}\n✗ the change to ${names} was not loaded; the last good version keeps serving`)
      }
    })
  }
  // Folders, not files: an editor that saves by rename replaces the file a watch would follow.
  const watcher = createProjectWatcher((files) => {
    const generated = [runtime.model!.client.outDir, join(model.rootDir, '.task-gen')]
    const relevant = files.filter((file) => !generated.some((dir) => file.startsWith(dir + sep)) && (runtime.inputs.has(file) || /\.[cm]?tsx?$/.test(file)))
    if (relevant.length > 0) reload(relevant)
  })
  const follow = () => watcher.watchFolders(new Set([...runtime.inputs].map((file) => dirname(file))))
  follow()
  return {
    endpoint: api.endpoint,
    async close() {
      schedules.close()
      const delayed = delays.close()
      if (delayed > 0) output.problem(`task-gen dev: ${delayed} delayed call(s) had not run yet; they were dropped`)
      watcher.close()
      await reloading.catch(() => undefined)
      await api.close()
      const dropped = runtime.close()
      claim?.release()
      if (dropped > 0) output.problem(`task-gen dev: ${dropped} event(s) were still running or waiting for a retry; they were dropped`)
    },
  }
}
