import { EnvironmentError } from './environment-error.js'

/** Which call failed, for the one line the user sees. */
export interface AwsCallContext {
  /** `SQS`, `Lambda`. */
  service: string
  /** The API action: `GetQueueUrl`. */
  operation: string
  region: string
  /** What it was called on: `queue shop-dev-orders-failures`. */
  resource: string
}

/** Error names the SDK gives when it found no credentials or could not use them. */
const CREDENTIAL_PROVIDER_ERRORS = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError'])
/** Service answers that mean the credentials are wrong, expired or not allowed. */
const ACCESS_ERRORS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'InvalidSecurity',
])

interface SdkErrorShape {
  name?: string
  message?: string
  code?: string
  $fault?: string
  $metadata?: { httpStatusCode?: number }
}

function endpointNote(service: string): string {
  const variable = `AWS_ENDPOINT_URL_${service.toUpperCase()}`
  const endpoint = process.env[variable] ?? process.env.AWS_ENDPOINT_URL
  return endpoint ? `, endpoint ${endpoint}` : ''
}

/**
 * One line for an error the AWS SDK threw, or undefined when it is not one (then it is a bug).
 * Network and credential failures come from the SDK's own layers; service answers carry $fault.
 */
export function describeAwsError(error: unknown, context: AwsCallContext): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as SdkErrorShape
  const call = `${context.service} ${context.operation} on ${context.resource} (region ${context.region}${endpointNote(context.service)})`
  if (e.name && CREDENTIAL_PROVIDER_ERRORS.has(e.name)) {
    return `${call}: no AWS credentials found (${e.message}); set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run \`aws configure\` or \`aws sso login\``
  }
  if (e.$fault === 'client' || e.$fault === 'server') {
    const status = e.$metadata?.httpStatusCode ? `HTTP ${e.$metadata.httpStatusCode} ` : ''
    const hint =
      e.name && ACCESS_ERRORS.has(e.name) ? '; check the AWS credentials and what they are allowed to do' : e.$fault === 'server' ? '; try again later' : ''
    return `${call} failed: ${status}${e.name}: ${e.message}${hint}`
  }
  if (e.$metadata !== undefined || e.name === 'TimeoutError') {
    const reason = e.code && !e.message?.includes(e.code) ? `${e.code}: ${e.message}` : e.message
    return `${call}: could not reach AWS (${reason}); check the network, the region and AWS_ENDPOINT_URL`
  }
  return undefined
}

/** Runs one AWS SDK call; a failure of the cloud, the network or the credentials becomes an EnvironmentError. */
export async function awsCall<T>(context: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    const line = describeAwsError(error, context)
    throw line === undefined ? error : new EnvironmentError(line)
  }
}
