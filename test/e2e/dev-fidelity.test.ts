// `task-gen dev` driven by clients task-gen did not write (boto3, @aws-sdk/client-lambda used
// directly), compared with what Lambda and its Node.js runtime interface client do.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invokeWithBoto3, type Boto3Answer } from '../helpers/boto3.js'
import { copyFixtureApp, localRecords, startDev, type DevProcess } from '../helpers/dev-process.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { removeTempDirs } from '../helpers/temp.js'

const REGION = 'eu-west-1'
const ACCOUNT = '123456789012'
/** The developer's shell, as dev sees it: a secret, a profile, credentials, another time zone and region, an endpoint override. */
const SHELL = {
  SHELL_ONLY_SECRET: 'hunter2',
  AWS_PROFILE: 'someone',
  AWS_ACCESS_KEY_ID: 'AKIASHELLKEY',
  AWS_SECRET_ACCESS_KEY: 'shell-secret',
  AWS_SESSION_TOKEN: 'shell-token',
  AWS_REGION: 'us-west-2',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
  TZ: 'America/New_York',
}
const fn = (task: string) => `fidelity-dev-probe-${task}`

let app: string
let dev: DevProcess
let lambda: LambdaClient

beforeAll(async () => {
  app = copyFixtureApp('dev-fidelity-app')
  dev = await startDev(app, ['--retry-delay', '1 second', '--account-id', ACCOUNT], SHELL)
  lambda = new LambdaClient({ endpoint: dev.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
}, 120_000)

afterAll(async () => {
  lambda?.destroy()
  expect(await dev?.stop()).toBe(0)
  removeTempDirs()
})

const boto3 = (calls: Record<string, unknown>[]) => invokeWithBoto3(dev.endpoint, calls, REGION)
const parsed = (answer: Boto3Answer): unknown => JSON.parse(answer.Payload!)
const printed = (line: string) => dev.lines.filter((l) => l.endsWith(`| ${line}`)).length

/** The failure records dev kept for a task of the fixture. */
const records = (task: string) => localRecords(app, `${fn(task)}-failures`)

const STRINGIFY_ERROR = { errorType: 'Error', errorMessage: 'Unable to stringify response body' }

describe('item 1: results cross as JSON, as the runtime serializes them', () => {
  it('a BigInt or a circular result is a function error, answered at once and run once (boto3)', async () => {
    const answers = await boto3([
      { FunctionName: fn('returns'), Payload: { kind: 'bigint' } },
      { FunctionName: fn('returns'), Payload: { kind: 'circular' } },
    ])
    for (const answer of answers) {
      expect(answer).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' })
      const payload = parsed(answer) as { trace: string[] }
      expect(payload).toMatchObject(STRINGIFY_ERROR)
      expect(payload.trace[0]).toBe('Error: Unable to stringify response body')
    }
    expect(printed('returning bigint')).toBe(1)
    expect(printed('returning circular')).toBe(1)
  })

  it('functions are dropped, toJSON is used, and no result is null (boto3)', async () => {
    const answers = await boto3(['function-property', 'to-json', 'nothing'].map((kind) => ({ FunctionName: fn('returns'), Payload: { kind } })))
    expect(answers.map((a) => [a.StatusCode, a.FunctionError ?? null, a.Payload])).toEqual([
      [200, null, '{"kept":1}'],
      [200, null, '{"price":"12.50 EUR"}'],
      [200, null, 'null'],
    ])
  })

  it('as an Event, an unserializable result fails the attempt and leaves a record (@aws-sdk/client-lambda)', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: fn('returns'), InvocationType: 'Event', Payload: JSON.stringify({ kind: 'bigint' }) }))
    expect(out.StatusCode).toBe(202)
    await dev.waitFor((l) => l.startsWith('probe.returns  failed (RetriesExhausted)'))
    expect(records('returns').map((r) => r.responsePayload)).toEqual([expect.objectContaining(STRINGIFY_ERROR)])
  })
})

describe('item 2: errors as the Node.js runtime writes them', () => {
  it('an Error: its name, message and stack lines; a rejected string and a thrown object by their typeof (boto3)', async () => {
    const [error, string, object] = await boto3(['error', 'string', 'object'].map((kind) => ({ FunctionName: fn('throws'), Payload: { kind } })))
    for (const answer of [error, string, object]) expect(answer).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' })
    const thrown = parsed(error!) as { errorType: string; errorMessage: string; trace: string[] }
    expect([thrown.errorType, thrown.errorMessage, thrown.trace[0]]).toEqual(['OrderError', 'order broke', 'OrderError: order broke'])
    expect(thrown.trace.length).toBeGreaterThan(1)
    for (const frame of thrown.trace.slice(1)) expect(frame).toMatch(/^ {4}at /)
    expect(thrown.trace.some((frame) => frame.includes('throws.ts'))).toBe(true)
    expect(parsed(string!)).toEqual({ errorType: 'string', errorMessage: 'just a string', trace: [] })
    expect(parsed(object!)).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] })
  })

  it('a result over 6 MB is Function.ResponseSizeTooLarge; one of exactly 6,291,556 bytes is returned (@aws-sdk/client-lambda)', async () => {
    const over = await lambda.send(new InvokeCommand({ FunctionName: fn('returns'), Payload: JSON.stringify({ kind: 'seven-mb' }) }))
    expect(over.StatusCode).toBe(200)
    expect(over.FunctionError).toBe('Unhandled')
    expect(JSON.parse(Buffer.from(over.Payload!).toString('utf8'))).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    })
    const at = await lambda.send(new InvokeCommand({ FunctionName: fn('returns'), Payload: JSON.stringify({ kind: 'exactly-at-limit' }) }))
    expect(at.FunctionError).toBeUndefined()
    expect(at.Payload!.byteLength).toBe(6_291_556)
  })
})

describe('item 5: addressed as Lambda addresses a function', () => {
  it('a qualifier other than $LATEST is ResourceNotFoundException, as for an alias the stacks never create (boto3)', async () => {
    const [prod, named, latest, mismatch] = await boto3([
      { FunctionName: fn('returns'), Qualifier: 'prod', Payload: { kind: 'nothing' } },
      { FunctionName: `${fn('returns')}:7`, Payload: { kind: 'nothing' } },
      { FunctionName: fn('returns'), Qualifier: '$LATEST', Payload: { kind: 'nothing' } },
      { FunctionName: `${fn('returns')}:prod`, Qualifier: 'dev', Payload: { kind: 'nothing' } },
    ])
    expect(prod!.error).toEqual({
      Code: 'ResourceNotFoundException',
      HTTPStatusCode: 404,
      Message: expect.stringMatching(/^Function not found: arn:aws:lambda:eu-west-1:\d{12}:function:fidelity-dev-probe-returns:prod$/),
    })
    expect(named!.error).toMatchObject({ Code: 'ResourceNotFoundException', Message: expect.stringMatching(/:function:fidelity-dev-probe-returns:7$/) })
    expect(latest).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: 'null' })
    expect(mismatch!.error).toMatchObject({ Code: 'InvalidParameterValueException', HTTPStatusCode: 400 })
  })

  it("@aws-sdk/client-lambda reads the error message from the body, in Lambda's field names", async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: fn('returns'), Qualifier: 'live' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringMatching(/:function:fidelity-dev-probe-returns:live$/),
    })
    const raw = await fetch(`${dev.endpoint}/2015-03-31/functions/nope/invocations`, { method: 'POST', body: '{}' })
    expect(raw.status).toBe(404)
    expect(raw.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException')
    expect(await raw.json()).toEqual({ Type: 'User', Message: expect.stringMatching(/^Function not found: nope/) })
    // The throttle's fields, as Lambda's API model names them: `message`, and the reason.
    const throttled = await fetch(`${dev.endpoint}/2015-03-31/functions/${fn('paused')}/invocations`, { method: 'POST', body: '{}' })
    expect([throttled.status, await throttled.json()]).toEqual([
      429,
      { Type: 'User', message: expect.any(String), Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
    ])
  })

  it("LogType Tail returns the last 4 KB of the attempt's log, ending with its REPORT line (boto3 and @aws-sdk/client-lambda)", async () => {
    const [answer] = await boto3([{ FunctionName: fn('talks'), LogType: 'Tail', Payload: { lines: 300 } }])
    expect(answer!.Payload).toBe('"talked"')
    const log = answer!.Log!
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(4096)
    expect(Buffer.byteLength(log)).toBeGreaterThan(3000)
    const lines = log.replace(/\n$/, '').split('\n')
    expect(lines.at(-1)).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t$/,
    )
    expect(lines.at(-2)).toMatch(/^END RequestId: [0-9a-f-]{36}$/)
    expect(lines).toContain('line 300 of 300')
    expect(lines).not.toContain('line 1 of 300')
    const sdk = await lambda.send(new InvokeCommand({ FunctionName: fn('talks'), LogType: 'Tail', Payload: JSON.stringify({ lines: 2 }) }))
    const short = Buffer.from(sdk.LogResult!, 'base64').toString('utf8').split('\n')
    expect(short.slice(0, 3)).toEqual([expect.stringMatching(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/), 'line 1 of 2', 'line 2 of 2'])
    const none = await lambda.send(new InvokeCommand({ FunctionName: fn('talks'), Payload: JSON.stringify({ lines: 1 }) }))
    expect(none.LogResult).toBeUndefined()
  })
})

describe('item 3: the environment and context of a Lambda, not of the shell', () => {
  type Seen = {
    env: Record<string, string>
    contextKeys: string[]
    context: Record<string, unknown>
    remainingMs: number
    offsetMinutes: number
    timeZone: string
  }

  it("the worker sees exactly Lambda's defined variables, the config's and the shell's credentials, in UTC (boto3)", async () => {
    const [answer] = await boto3([{ FunctionName: fn('env'), Payload: {} }])
    const seen = parsed(answer!) as Seen
    // The test runner's own endpoint overrides, if any, pass through too; the one the shell set here is checked.
    expect(
      Object.keys(seen.env)
        .filter((name) => !name.startsWith('AWS_ENDPOINT_URL') || name in SHELL)
        .sort(),
    ).toEqual(
      [
        'AWS_ACCESS_KEY_ID',
        'AWS_DEFAULT_REGION',
        'AWS_ENDPOINT_URL_S3',
        'AWS_EXECUTION_ENV',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_INITIALIZATION_TYPE',
        'AWS_LAMBDA_LOG_GROUP_NAME',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'GREETING',
        'LAMBDA_RUNTIME_DIR',
        'LAMBDA_TASK_ROOT',
        'LANG',
        'PATH',
        'TZ',
        '_HANDLER',
      ].sort(),
    )
    expect(seen.env).toMatchObject({
      _HANDLER: 'index.handler',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: fn('env'),
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn('env')}`,
      AWS_LAMBDA_LOG_STREAM_NAME: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      AWS_ACCESS_KEY_ID: 'AKIASHELLKEY',
      AWS_SECRET_ACCESS_KEY: 'shell-secret',
      AWS_SESSION_TOKEN: 'shell-token',
      GREETING: 'from the config',
      TZ: ':UTC',
    })
    expect([seen.offsetMinutes, seen.timeZone]).toEqual([0, 'UTC'])
  })

  it('context carries every documented field: the qualified ARN used with the configured account, the client context (boto3 and @aws-sdk/client-lambda)', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { who: 'boto3' }, env: { platform: 'test' } })).toString('base64')
    const [qualified, plain] = await boto3([
      { FunctionName: fn('env'), Qualifier: '$LATEST', ClientContext: clientContext, Payload: {} },
      { FunctionName: fn('env'), Payload: {} },
    ])
    const seen = parsed(qualified!) as Seen
    expect(seen.contextKeys).toEqual([
      'awsRequestId',
      'callbackWaitsForEmptyEventLoop',
      'clientContext',
      'functionName',
      'functionVersion',
      'getRemainingTimeInMillis',
      'identity',
      'invokedFunctionArn',
      'logGroupName',
      'logStreamName',
      'memoryLimitInMB',
    ])
    expect(seen.context).toEqual({
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      callbackWaitsForEmptyEventLoop: true,
      clientContext: { custom: { who: 'boto3' }, env: { platform: 'test' } },
      functionName: fn('env'),
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn('env')}:$LATEST`,
      logGroupName: `/aws/lambda/${fn('env')}`,
      logStreamName: seen.env.AWS_LAMBDA_LOG_STREAM_NAME,
      memoryLimitInMB: '512',
    })
    expect(seen.remainingMs).toBeGreaterThan(0)
    expect(seen.remainingMs).toBeLessThanOrEqual(30_000)
    expect((parsed(plain!) as Seen).context.invokedFunctionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn('env')}`)
    const sdk = await lambda.send(
      new InvokeCommand({
        FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn('env')}`,
        ClientContext: Buffer.from('{"custom":{"who":"sdk"}}').toString('base64'),
        Payload: '{}',
      }),
    )
    expect((JSON.parse(Buffer.from(sdk.Payload!).toString('utf8')) as Seen).context.clientContext).toEqual({ custom: { who: 'sdk' } })
    await expect(lambda.send(new InvokeCommand({ FunctionName: fn('env'), ClientContext: 'not base64 json', Payload: '{}' }))).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
    })
  })
})

describe('item 4: the limits of a Lambda', () => {
  it('memorySize caps the whole worker: 1,000 MB of Buffers in a 128 MB function is Runtime.OutOfMemory, and dev keeps serving (boto3)', async () => {
    const [hog, small] = await boto3([
      { FunctionName: fn('buffers'), Payload: { mb: 1000 } },
      { FunctionName: fn('buffers'), Payload: { mb: 1 }, LogType: 'Tail' },
    ])
    expect(hog).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' })
    expect(parsed(hog!)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/),
    })
    expect(small).toMatchObject({ StatusCode: 200, Payload: '1' })
    // The report names the memory used, as Lambda's does, within the memory size.
    const used = Number(/Max Memory Used: (\d+) MB/.exec(small!.Log!)?.[1])
    expect(used).toBeGreaterThan(0)
    expect(used).toBeLessThanOrEqual(128)
  })

  it('an unhandled rejection while the handler runs fails the invocation with Runtime.UnhandledPromiseRejection (boto3)', async () => {
    const [answer] = await boto3([{ FunctionName: fn('leaky'), Payload: { kind: 'rejection-while-running' } }])
    expect(answer).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' })
    const error = parsed(answer!) as { errorType: string; errorMessage: string; trace: string[] }
    expect([error.errorType, error.errorMessage, error.trace[0]]).toEqual([
      'Runtime.UnhandledPromiseRejection',
      'Error: forgotten while running',
      'Runtime.UnhandledPromiseRejection: Error: forgotten while running',
    ])
  })

  it('an unhandled rejection after the handler returned is printed with its stack, and the worker ends as the runtime does (@aws-sdk/client-lambda)', async () => {
    const from = dev.lines.length
    const out = await lambda.send(new InvokeCommand({ FunctionName: fn('leaky'), Payload: JSON.stringify({ kind: 'rejection-after-return' }) }))
    expect(out.FunctionError).toBeUndefined()
    expect(Buffer.from(out.Payload!).toString('utf8')).toBe('"returned"')
    const printedError = await dev.waitFor((l) => l.startsWith('probe.leaky | ') && l.includes('Unhandled Promise Rejection'), { from })
    const logged = JSON.parse(printedError.slice(printedError.indexOf('{'))) as { errorType: string; errorMessage: string; stack: string[] }
    expect([logged.errorType, logged.errorMessage]).toEqual(['Runtime.UnhandledPromiseRejection', 'Error: forgotten after return'])
    expect(logged.stack.length).toBeGreaterThan(1)
    await dev.waitFor((l) => l.startsWith('probe.leaky | Runtime exited with error: exit status 128'), { from })
  })

  it('an exception thrown in a timer fails the invocation with its error and stack (boto3)', async () => {
    const [answer] = await boto3([{ FunctionName: fn('leaky'), Payload: { kind: 'timer-while-running' } }])
    expect(answer).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' })
    const error = parsed(answer!) as { errorType: string; errorMessage: string; trace: string[] }
    expect([error.errorType, error.errorMessage, error.trace[0]]).toEqual(['Error', 'thrown from a timer', 'Error: thrown from a timer'])
    expect(error.trace.some((frame) => frame.includes('leaky.ts'))).toBe(true)
  })
})

describe('item 6: the same runtime', () => {
  it('says once per runtime, at start, when the task deploys to a Node.js major other than the one dev runs on', () => {
    const host = `nodejs${process.versions.node.split('.')[0]}.x`
    const warnings = dev
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('task-gen dev: warning: '))
    // The fixture's tasks deploy to nodejs22.x (the default) except talks, on nodejs20.x.
    const deployed = new Map([
      ['nodejs22.x', 'probe.returns, probe.throws, probe.env, probe.buffers, probe.leaky, probe.paused'],
      ['nodejs20.x', 'probe.talks'],
    ])
    expect(warnings).toEqual(
      [...deployed]
        .filter(([runtime]) => runtime !== host)
        .map(
          ([runtime, tasks]) =>
            `task-gen dev: warning: ${tasks} deploy to ${runtime}, but dev runs them on the Node.js it runs on, ${process.version} (${host}); what one has, the other may lack`,
        ),
    )
  })

  it('a callback-style handler is refused alike by check and by dev, at its callback parameter', async () => {
    const broken = copyFixtureApp('dev-fidelity-app')
    writeFileSync(
      join(broken, 'src/talks.ts'),
      'export function handler(request: { lines: number }, context: unknown, callback: (error: null, result: string) => void): void {\n  callback(null, String(request.lines))\n}\n',
    )
    const problem =
      'stacks.probe.tasks.talks: the handler "handler" takes a third parameter "callback": callback-style handlers are not supported (the task wrapper passes no callback and awaits the result); make it async and return the result (src/talks.ts:1:71)'
    const check = await runBinAsync(['check'], { cwd: broken })
    expect(check.code).toBe(1)
    expect(check.stderr).toContain(problem)
    await expect(startDev(broken, ['--port', '0'])).rejects.toThrow(problem)
  })
})
