import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import { afterAll, describe, expect, it } from 'vitest'
import { startDev, type DevProcess } from '../helpers/dev-process.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { writeTopicProject } from '../helpers/topic-project.js'

const running: DevProcess[] = []
afterAll(async () => {
  for (const dev of running) await dev.stop()
  removeTempDirs()
})

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:shop-dev-orderPlaced'

describe('topics in task-gen dev, reached with the AWS SDK itself', () => {
  it('a publish runs both subscribers with its message as their payload; a subscriber that fails is retried and leaves a record from the topic', async () => {
    const dir = tempDir('dev-topics')
    writeTopicProject(dir)
    const server = await startDev(dir, ['--retry-delay', '1 second'])
    running.push(server)
    await server.waitFor(/^It serves the 1 topic\(s\) too: AWS_ENDPOINT_URL_SNS=/)
    const sns = new SNSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'dev', secretAccessKey: 'dev' } })
    const published = await sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: JSON.stringify({ orderId: 'o-1', total: 5 }) }))
    expect(published.MessageId).toMatch(/^[0-9a-f-]{36}$/)
    await server.waitFor((l) => l === 'orders.sendEmail | {"sendEmail":{"orderId":"o-1","total":5}}')
    await server.waitFor((l) => l === 'shipping.reserveStock | {"reserveStock":{"orderId":"o-1","total":5}}')

    await sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: JSON.stringify({ orderId: 'fail', total: 1 }) }))
    await server.waitFor((l) => l.startsWith('orders.sendEmail  failed (RetriesExhausted)'), { timeoutMs: 30_000 })
    // sendEmail has retryAttempts 1: two attempts; reserveStock, which does not fail, ran once.
    expect(server.lines.filter((l) => l === 'orders.sendEmail | {"sendEmail":{"orderId":"fail","total":1}}')).toHaveLength(2)
    expect(server.lines.filter((l) => l === 'shipping.reserveStock | {"reserveStock":{"orderId":"fail","total":1}}')).toHaveLength(1)
    const listed = await runBinAsync(['failures', 'list', '--local', '--json', '--task', 'sendEmail'], { cwd: dir })
    expect(listed.code, listed.stderr).toBe(0)
    const failures = JSON.parse(listed.stdout) as { failure: { source: string; topic?: string; payload: unknown } }[]
    expect(failures.map((f) => f.failure)).toEqual([expect.objectContaining({ source: 'topic', topic: TOPIC_ARN, payload: { orderId: 'fail', total: 1 } })])
  }, 120_000)

  it("answers SNS's errors as SNS does: an unknown topic, and an empty message", async () => {
    const dir = tempDir('dev-topics-errors')
    writeTopicProject(dir)
    const server = await startDev(dir)
    running.push(server)
    const sns = new SNSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'dev', secretAccessKey: 'dev' } })
    await expect(sns.send(new PublishCommand({ TopicArn: `${TOPIC_ARN}-other`, Message: '{}' }))).rejects.toMatchObject({ name: 'NotFoundException' })
    await expect(sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: '' }))).rejects.toMatchObject({ name: 'InvalidParameterException' })
  }, 60_000)
})
