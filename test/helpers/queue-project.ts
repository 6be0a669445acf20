import { writeProject } from './client-project.js'

/**
 * An app whose `work` stack has two queue tasks: `process`, a standard queue with every option
 * set, and `ordered`, a FIFO queue; `plain` has no queue. `process` fails on a message whose
 * `fail` is true, so that dev and deploy tests can poison messages.
 */
export const QUEUE_CONFIG = {
  app: 'shop',
  region: 'us-east-1',
  stacks: {
    work: {
      tasks: {
        process: {
          consumer: { code: './src/process.ts', timeout: '10 seconds' },
          queue: { batchSize: 20, batchWindow: '2 seconds', maxConcurrency: 5, maxReceives: 3, visibilityTimeout: '30 seconds', retention: '2 days' },
        },
        ordered: { consumer: './src/ordered.ts', queue: { fifo: true, batchSize: 5 } },
        plain: './src/plain.ts',
      },
    },
  },
}

export const QUEUE_HANDLERS = {
  'src/process.ts':
    'export default async function process(job: { id: string; fail?: boolean }) {\n  console.log(JSON.stringify({ processed: job }))\n  if (job.fail) throw new Error(`cannot process ${job.id}`)\n}\n',
  'src/ordered.ts': 'export default async function ordered(step: { n: number }) {\n  console.log(JSON.stringify({ ordered: step }))\n}\n',
  'src/plain.ts': 'export default async function plain(job: { id: string }) {}\n',
}

/** Writes the queue app into `dir`; returns its config file. */
export function writeQueueProject(dir: string, config: Record<string, unknown> = QUEUE_CONFIG, handlers: Record<string, string> = QUEUE_HANDLERS): string {
  return writeProject(dir, config, handlers)
}
