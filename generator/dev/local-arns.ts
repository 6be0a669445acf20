// The account is not known offline: ARNs name the one `--account-id` gives, else a stand-in.
export const LOCAL_ACCOUNT = '000000000000'

export function localFunctionArn(region: string, account: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${functionName}`
}

export function localQueueArn(region: string, account: string, queueName: string): string {
  return `arn:aws:sqs:${region}:${account}:${queueName}`
}
