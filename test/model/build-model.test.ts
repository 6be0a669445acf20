import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { memoryFileSystem } from '../../generator/fs/file-system.js'
import { loadModel } from '../../generator/model/load-model.js'
import { UserError } from '../../generator/errors/problem.js'
import { CONFIG_FILE, loadInMemory, minimalConfig } from '../helpers/project.js'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/configs/valid/${name}`, import.meta.url), 'utf8')

describe('the model', () => {
  it('fills every default for the smallest config', () => {
    const model = loadInMemory(minimalConfig())
    expect(model).toMatchObject({
      configFile: '/project/task-gen.json',
      rootDir: '/project',
      app: 'shop',
      stage: 'dev',
      region: 'us-east-1',
      onFailure: undefined,
    })
    expect(model.client).toEqual({ name: 'shop-tasks', outDir: '/project/.task-gen/client', version: '0.0.0' })
    const [stack] = model.stacks
    expect(stack).toMatchObject({ name: 'orders', path: 'stacks.orders' })
    expect(stack!.tasks).toEqual([
      {
        stack: 'orders',
        name: 'processOrder',
        path: 'stacks.orders.tasks.processOrder',
        retryAttempts: 2,
        schedules: [],
        subscribe: [],
        delay: false,
        maxEventAgeSeconds: 21600,
        names: {
          function: 'shop-dev-orders-processOrder',
          role: 'shop-dev-orders-processOrder',
          failureQueue: 'shop-dev-orders-processOrder-failures',
          logGroup: '/aws/lambda/shop-dev-orders-processOrder',
        },
        function: {
          entry: '/project/src/process-order.ts',
          entryAsWritten: './src/process-order.ts',
          entryPath: 'stacks.orders.tasks.processOrder',
          handler: undefined,
          bundle: { minify: true, external: ['@aws-sdk/*'], sourcemap: false },
          runtime: 'nodejs22.x',
          architecture: 'arm64',
          memoryMb: 256,
          timeoutSeconds: 30,
          ephemeralStorageMb: 512,
          environment: {},
          logRetentionDays: 30,
          reservedConcurrency: undefined,
          permissions: [],
          vpc: undefined,
          layers: [],
          description: undefined,
        },
      },
    ])
  })

  it('lets a task override defaults.function, merging environment and appending permissions', () => {
    const model = loadInMemory(fixture('every-option.json'), { stage: 'prod' })
    const [resize, thumbnail] = model.stacks[0]!.tasks
    expect(resize!.retryAttempts).toBe(0)
    expect(resize!.maxEventAgeSeconds).toBe(60)
    expect(resize!.names.function).toBe('media-shop-prod-images-resize')
    expect(resize!.function).toEqual({
      entry: '/project/src/resize.ts',
      entryAsWritten: './src/resize.ts',
      entryPath: 'stacks.images.tasks.resize.consumer.code.file',
      handler: 'resize',
      bundle: { minify: true, external: ['@aws-sdk/*', 'sharp', 'pdfkit'], sourcemap: false },
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      memoryMb: 3008,
      timeoutSeconds: 900,
      ephemeralStorageMb: 10240,
      environment: { LOG_LEVEL: 'info', SHARED: 'task', BUCKET: 'media' },
      logRetentionDays: 3653,
      reservedConcurrency: 0,
      permissions: [
        { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::media/*'] },
        { effect: 'Deny', actions: ['s3:DeleteObject'], resources: ['*'] },
      ],
      vpc: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] },
      layers: [],
      description: 'resizes images',
    })
    // thumbnail sets nothing of its own: every value comes from defaults.
    expect(thumbnail!.retryAttempts).toBe(1)
    expect(thumbnail!.maxEventAgeSeconds).toBe(7200)
    expect(thumbnail!.function).toMatchObject({
      entryPath: 'stacks.images.tasks.thumbnail.consumer',
      handler: 'run',
      bundle: { minify: false, external: ['@aws-sdk/*', 'sharp'], sourcemap: true },
      runtime: 'nodejs20.x',
      architecture: 'x86_64',
      memoryMb: 1024,
      timeoutSeconds: 60,
      ephemeralStorageMb: 1024,
      environment: { LOG_LEVEL: 'info', SHARED: 'default' },
      logRetentionDays: 0,
      reservedConcurrency: 5,
      vpc: { subnetIds: ['subnet-0abc'], securityGroupIds: ['sg-0def'] },
      layers: ['arn:aws:lambda:eu-central-1:123456789012:layer:sharp:3'],
      description: 'media task',
    })
    expect(model.client).toEqual({
      name: '@media/tasks',
      outDir: '/project/generated/tasks',
      version: '0.0.0',
      outDirLocation: { file: '/project/task-gen.json', line: 26, column: 39 },
    })
    expect(model.onFailure).toMatchObject({
      path: 'onFailure',
      names: { function: 'media-shop-prod-on-failure', deadLetterQueue: 'media-shop-prod-on-failure-dlq' },
      function: { entry: '/project/src/on-failure.ts', entryPath: 'onFailure.code', memoryMb: 128, timeoutSeconds: 60 },
    })
  })

  it('normalises the four ways of naming a handler file', () => {
    const model = loadInMemory(fixture('consumer-forms.json'))
    const tasks = model.stacks.find((s) => s.name === 's')!.tasks
    expect(tasks.map((t) => [t.name, t.function.entry, t.function.entryPath])).toEqual([
      ['pathForm', '/project/src/a.ts', 'stacks.s.tasks.pathForm'],
      ['consumerPath', '/project/src/b.ts', 'stacks.s.tasks.consumerPath.consumer'],
      ['codePath', '/project/src/c.ts', 'stacks.s.tasks.codePath.consumer.code'],
      ['codeObject', '/project/src/d.ts', 'stacks.s.tasks.codeObject.consumer.code.file'],
      ['snake_case_task', '/project/src/e.ts', 'stacks.s.tasks.snake_case_task'],
    ])
    expect(model.stacks.map((s) => s.name)).toEqual(['s', 'S2'])
    expect(model.onFailure?.function.entry).toBe('/project/src/on-failure.ts')
  })

  it("the seed's advanced form reaches the model with its values in AWS units", () => {
    const task = loadInMemory(fixture('seed-advanced.json')).stacks[0]!.tasks[0]!
    expect(task.function).toMatchObject({
      memoryMb: 512,
      timeoutSeconds: 120,
      environment: { PAYMENT_API_KEY: 'your-api-key' },
      bundle: { minify: true, external: ['@aws-sdk/*', 'aws-sdk'] },
    })
    expect(task.retryAttempts).toBe(2)
  })
})

describe('handler paths', () => {
  /** The entry a handler path resolves to, with exactly these files beside the config. */
  function entryOf(written: string, files: string[]): string {
    const fs = memoryFileSystem({
      [CONFIG_FILE]: JSON.stringify(minimalConfig({ stacks: { orders: { tasks: { t: written } } } })),
      ...Object.fromEntries(files.map((f) => [`/project/${f}`, 'export default async () => {}'])),
    })
    try {
      return loadModel({ configFile: CONFIG_FILE, fs }).stacks[0]!.tasks[0]!.function.entry
    } catch (error) {
      if (error instanceof UserError) return error.problems.map((p) => p.message).join('\n')
      throw error
    }
  }

  it('resolve ./x.js to ./x.ts as TypeScript resolves an ESM import', () => {
    expect(entryOf('./src/x.js', ['src/x.ts'])).toBe('/project/src/x.ts')
    expect(entryOf('./src/x.js', ['src/x.tsx'])).toBe('/project/src/x.tsx')
    expect(entryOf('./src/x.mjs', ['src/x.mts'])).toBe('/project/src/x.mts')
    expect(entryOf('./src/x.cjs', ['src/x.cts'])).toBe('/project/src/x.cts')
    // TypeScript reads the .ts beside a .js of the same name (the .js is usually its build).
    expect(entryOf('./src/x.js', ['src/x.js', 'src/x.ts'])).toBe('/project/src/x.ts')
  })

  it('keep a path that names a file as it is, and report one that names none', () => {
    expect(entryOf('./src/x.js', ['src/x.js'])).toBe('/project/src/x.js')
    expect(entryOf('./src/x.ts', ['src/x.ts'])).toBe('/project/src/x.ts')
    expect(entryOf('./src/x.js', [])).toBe('handler file "./src/x.js" not found (resolved to /project/src/x.js)')
  })
})

describe('deprecated runtimes', () => {
  it('takes nodejs20.x with a warning per place it is written, naming the deprecation date', () => {
    const model = loadInMemory(
      minimalConfig({
        defaults: { function: { runtime: 'nodejs20.x' } },
        stacks: {
          orders: {
            tasks: {
              a: { consumer: { code: './src/a.ts', runtime: 'nodejs20.x' } },
              b: './src/b.ts',
              c: { consumer: { code: './src/c.ts', runtime: 'nodejs22.x' } },
            },
          },
        },
      }),
    )
    expect(model.stacks[0]!.tasks.map((t) => t.function.runtime)).toEqual(['nodejs20.x', 'nodejs20.x', 'nodejs22.x'])
    expect(model.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(
      ['defaults.function.runtime', 'stacks.orders.tasks.a.consumer.runtime'].map(
        (path) =>
          `${path}: nodejs20.x is deprecated since 2026-04-30 (Node 20 reached its end of life): AWS no longer patches it and will refuse to create, then to update, its functions; use "nodejs22.x"`,
      ),
    )
    expect(model.warnings.every((w) => w.code === 'deprecated_runtime' && w.location !== undefined)).toBe(true)
    expect(loadInMemory(minimalConfig()).warnings).toEqual([])
  })
})
