/**
 * What EventBridge Scheduler puts on a schedule's dead-letter queue when it cannot invoke the
 * target (its guide, "Configuring a dead-letter queue"): the target's input as the body, and the
 * details as string message attributes.
 */
export function scheduleDeadLetterAttributes(functionName: string, schedule: string): Record<string, string> {
  return {
    ERROR_CODE: 'AWS.Lambda.TooManyRequestsException',
    ERROR_MESSAGE: 'Rate Exceeded.',
    EXECUTION_ID: 'c0ffee00-0000-4000-8000-000000000001',
    RETRY_ATTEMPTS: '185',
    SCHEDULE_ARN: `arn:aws:scheduler:us-east-1:123456789012:schedule/${schedule}`,
    TARGET_ARN: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  }
}
