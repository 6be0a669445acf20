import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { writeScheduledProject } from '../helpers/schedule-project.js'
import type { StackJson } from '../helpers/synthesized-policies.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

describe('synth of a task with schedules', () => {
  let jobs: StackJson & { resource: Record<string, Record<string, Record<string, any>>> }

  beforeAll(async () => {
    const dir = tempDir('synth-schedules')
    const { model, extraction } = await loadAndExtract({ configFile: writeScheduledProject(dir) })
    const result = await synthesize(model, extraction, join(dir, 'cdktf.out'))
    jobs = JSON.parse(readFileSync(join(result.stacks[0]!.dir, 'cdk.tf.json'), 'utf8'))
  }, 120_000)

  it('one schedule group for the stack, named for app, stage and stack, and in the outputs', () => {
    expect(Object.values(jobs.resource.aws_scheduler_schedule_group!).map((g) => g.name)).toEqual(['shop-dev-jobs'])
    expect(jobs.output!.schedule_group_name!.value).toBe('${aws_scheduler_schedule_group.schedule_group.name}')
  })

  it('each schedule fires its expression in its time zone, without a flexible window, enabled or not as configured', () => {
    const schedules = Object.values(jobs.resource.aws_scheduler_schedule!)
    expect(schedules.map((s) => [s.name, s.group_name, s.schedule_expression, s.schedule_expression_timezone, s.state, s.flexible_time_window])).toEqual([
      ['nightly-0', 'shop-dev-jobs', 'cron(0 3 * * ? *)', 'Europe/Amsterdam', 'ENABLED', { mode: 'OFF' }],
      ['nightly-1', 'shop-dev-jobs', 'rate(1 hour)', 'UTC', 'DISABLED', { mode: 'OFF' }],
    ])
  })

  it("targets the task's function with the payload as its input, its role, its failure queue as dead-letter queue, and the task's event age", () => {
    const [daily, weekly] = Object.values(jobs.resource.aws_scheduler_schedule!)
    expect(daily!.target).toEqual({
      arn: '${aws_lambda_function.nightly_function.arn}',
      role_arn: '${aws_iam_role.nightly_schedule_role.arn}',
      // `${` in the user's payload is text, not a Terraform interpolation.
      input: JSON.stringify({ kind: 'daily', note: 'costs $${total}' }),
      dead_letter_config: { arn: '${aws_sqs_queue.nightly_failures.arn}' },
      retry_policy: { maximum_event_age_in_seconds: 7200, maximum_retry_attempts: 185 },
    })
    expect(weekly!.target.input).toBe('{"kind":"weekly"}')
  })

  it('one schedule role, for the scheduled task only', () => {
    expect(
      Object.values(jobs.resource.aws_iam_role!)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['shop-dev-jobs-adhoc', 'shop-dev-jobs-nightly', 'shop-dev-jobs-nightly-schedule'])
  })
})
