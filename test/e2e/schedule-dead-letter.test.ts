import { join } from 'node:path'
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awsClients } from '../helpers/aws.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { scheduleDeadLetterAttributes } from '../helpers/schedule-dead-letter.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

describe("a schedule's dead-letter event on a deployed failure queue", () => {
  let moto: MotoServer
  let shop: string

  beforeAll(async () => {
    moto = await startMoto()
    shop = copyShop('schedule-dead-letter')
    const { sqs } = awsClients(moto)
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-reports-generateReport-failures' }))).QueueUrl!
    const attributes = scheduleDeadLetterAttributes('shop-dev-reports-generateReport', 'shop-dev-reports/generateReport')
    const payload = { name: 'daily', from: '2026-01-01', to: '2026-01-02', filter: {}, currency: 'EUR' }
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: JSON.stringify(payload),
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
      }),
    )
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
    removeTempDirs()
  })

  it('failures list decodes it, with the schedule that could not deliver it and the payload it would have run with', async () => {
    const result = await runBinAsync(['failures', 'list', '--json', '--config', join(shop, 'task-gen.json'), '--task', 'generateReport'], {
      cwd: shop,
      env: moto.env,
    })
    expect(result.code, result.stderr).toBe(0)
    const [item] = JSON.parse(result.stdout) as { ok: boolean; failure: Record<string, unknown> }[]
    expect(item).toMatchObject({
      ok: true,
      failure: {
        task: 'generateReport',
        condition: 'ScheduleDeliveryFailed',
        schedule: 'arn:aws:scheduler:us-east-1:123456789012:schedule/shop-dev-reports/generateReport',
        payload: { name: 'daily', currency: 'EUR' },
        error: { type: 'AWS.Lambda.TooManyRequestsException', message: 'Rate Exceeded.' },
      },
    })
  }, 60_000)
})
