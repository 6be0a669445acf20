import { GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda'
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { MotoServer } from './moto.js'

/** SDK clients pointed at a moto server. */
export function awsClients(moto: MotoServer) {
  const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }
  const lambda = new LambdaClient(config)
  const sqs = new SQSClient(config)
  return {
    lambda,
    sqs,
    functionConfiguration: (name: string) => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })),
    eventInvokeConfig: (name: string) => lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name })),
    functionNames: async () => ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName).sort(),
    queueUrls: async () => ((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).sort(),
    queueUrl: async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl,
    queueAttributes: async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {},
    messageCount: (url: string) => messageCount(sqs, url),
  }
}

/** Messages on a queue, visible or held by a reader. */
export async function messageCount(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  )
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
}
