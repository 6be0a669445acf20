/** Defaults of the options that the config may leave out. They are documented in the README's config reference. */
export const DEFAULTS = {
  stage: 'dev',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  memoryMb: 256,
  timeoutSeconds: 30,
  ephemeralStorageMb: 512,
  logRetentionDays: 30,
  retryAttempts: 2,
  maxEventAgeSeconds: 21600,
  minify: true,
  sourcemap: false,
  alwaysExternal: ['@aws-sdk/*'],
  clientOutDir: '.task-gen/client',
  /** When neither client.version nor the app's package.json gives one. */
  clientVersion: '0.0.0',
  stateDir: '.task-gen/state',
  stateKeyPrefix: 'task-gen/',
  /** Receives of a failure record by the on-failure handler before it moves to the dead-letter queue. */
  onFailureMaxReceives: 5,
  /** The time zone of a schedule's cron expression. */
  scheduleTimezone: 'UTC',
  /** A task queue's: Lambda's default batch, SQS's default retention (4 days), the on-failure handler's receives. */
  queueBatchSize: 10,
  queueMaxReceives: 5,
  queueRetentionSeconds: 345_600,
  /** How long an idempotency key is remembered: a day, as Trigger.dev's and Powertools' keys are by default. */
  idempotencyWindowSeconds: 86_400,
  clientName: (app: string) => `${app}-tasks`,
} as const
