import { writeProject } from './client-project.js'

/** A one-stack app whose task `jobs.nightly` runs on two schedules: a cron in Amsterdam and a paused hourly rate. */
export const SCHEDULED_CONFIG = {
  app: 'shop',
  region: 'us-east-1',
  stacks: {
    jobs: {
      tasks: {
        nightly: {
          consumer: './src/nightly.ts',
          retryAttempts: 1,
          maxEventAge: '2 hours',
          schedule: [
            { cron: '0 3 * * ? *', timezone: 'Europe/Amsterdam', payload: { kind: 'daily', note: 'costs ${total}' } },
            { rate: '1 hour', payload: { kind: 'weekly' }, enabled: false },
          ],
        },
        adhoc: './src/adhoc.ts',
      },
    },
  },
}

export const SCHEDULED_HANDLERS = {
  'src/nightly.ts':
    "export default async function nightly(job: { kind: 'daily' | 'weekly'; note?: string }) {\n  console.log(JSON.stringify({ ran: job }))\n}\n",
  'src/adhoc.ts': 'export default async function adhoc(job: { id: string }) {}\n',
}

/** Writes the scheduled app into `dir`; returns its config file. */
export function writeScheduledProject(dir: string, config: Record<string, unknown> = SCHEDULED_CONFIG): string {
  return writeProject(dir, config, SCHEDULED_HANDLERS)
}
