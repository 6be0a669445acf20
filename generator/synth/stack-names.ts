/**
 * The name of the app-wide stack; it cannot clash with a config stack (those have no hyphen).
 * In a module of its own, so that the CLI can name it without loading cdktf.
 */
export const ON_FAILURE_STACK = 'on-failure'

/** The app-wide stack of the offloaded payloads' bucket (with `payloads`), deployed before the task stacks. */
export const PAYLOADS_STACK = 'app-payloads'

/** The app-wide stack of SNS topics, deployed before the task stacks that subscribe to them. */
export const TOPICS_STACK = 'app-topics'
