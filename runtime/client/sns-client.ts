import type { SNSClient } from '@aws-sdk/client-sns'
import { clientSettings, onConfigure, sdkClientOptions, type SnsClientLike } from './lambda-client.js'

export type SnsSdk = typeof import('@aws-sdk/client-sns')

let sdk: Promise<SnsSdk> | undefined
let shared: SNSClient | undefined
onConfigure(() => (shared = undefined))

/** SNS's SDK, loaded on the first publish, not on import: an app that only invokes tasks never loads it. */
export function loadSnsSdk(): Promise<SnsSdk> {
  sdk ??= import('@aws-sdk/client-sns')
  return sdk
}

/** The client a publish sends with: its own, else the configured one, else the shared one (the settings of `configure`). */
export async function snsClient(region: string, own: SnsClientLike | undefined): Promise<SnsClientLike> {
  if (own) return own
  const configured = clientSettings().settings.snsClient
  if (configured) return configured
  if (!shared) {
    const { SNSClient } = await loadSnsSdk()
    shared ??= new SNSClient(sdkClientOptions(region))
  }
  return shared
}

/**
 * The account the topic ARNs name: SNS's Publish takes an ARN, and a publisher knows only names.
 * `configure({ accountId })`, else AWS_ACCOUNT_ID, else the account the SDK's credentials carry
 * (SSO, assumed roles, web identity and containers name it). Undefined when none does.
 */
export async function topicAccount(client: SnsClientLike): Promise<string | undefined> {
  const configured = clientSettings().settings.accountId ?? process.env.AWS_ACCOUNT_ID
  if (configured) return configured
  const credentials = (client as { config?: { credentials?: () => Promise<{ accountId?: string }> } }).config?.credentials
  if (typeof credentials !== 'function') return undefined
  const identity = await credentials()
  return identity.accountId
}
