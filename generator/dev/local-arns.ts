// The account is not known offline; ARNs name a stand-in.
const LOCAL_ACCOUNT = '000000000000'

export function localFunctionArn(region: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName}`
}

export function localQueueArn(region: string, queueName: string): string {
  return `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${queueName}`
}
