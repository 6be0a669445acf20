import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { CreateFunctionCommand } from '@aws-sdk/client-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deterministicZip } from '../../generator/bundle/zip.js'
import { awsClients } from '../helpers/aws.js'
import { generateShopClient, type ShopClient } from '../helpers/generated-shop.js'
import { startMoto, type MotoServer } from '../helpers/moto.js'
import { removeTempDirs } from '../helpers/temp.js'

describe('the generated client against moto', () => {
  let moto: MotoServer
  let client: ShopClient
  let generated: Awaited<ReturnType<typeof generateShopClient>>
  const saved = { ...process.env }

  beforeAll(async () => {
    moto = await startMoto()
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials })
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'shop-dev-orders-processOrder',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
    const code = deterministicZip([{ name: 'index.mjs', data: new TextEncoder().encode('export const handler = async () => {}') }])
    await awsClients(moto).lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'shop-dev-orders-processOrder',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role.Role!.Arn!,
        Code: { ZipFile: code },
      }),
    )
    generated = await generateShopClient('invoke-moto')
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' })
    delete process.env.AWS_ENDPOINT_URL_LAMBDA
    delete process.env.TASK_GEN_STAGE
    client = await generated.load()
  }, 60_000)

  afterAll(async () => {
    process.env = saved
    await moto?.stop()
    generated?.remove()
    removeTempDirs()
  })

  it('makes a signed round trip to a function deployed there: accepted with a request id', async () => {
    const accepted = await client.Task.orders!.processOrder!({ orderId: '1', customerId: '2', items: [] })
    expect(accepted.functionName).toBe('shop-dev-orders-processOrder')
    expect(accepted.requestId).toMatch(/^\S{16,}$/)
  })
})
