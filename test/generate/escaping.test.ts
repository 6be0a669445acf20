import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ts } from 'ts-morph'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleFunctions } from '../../generator/bundle/bundle-functions.js'
import { bundleRequests } from '../../generator/bundle/bundle-requests.js'
import { buildForDev } from '../../generator/dev/build-tasks.js'
import { commentText, docComment, jsQuoted, jsString, jsValue, markdownCode, objectKey } from '../../generator/text/escape.js'
import { loadAndExtract } from '../../generator/generate.js'
import { packageFile } from '../helpers/client-package.js'
import { generateInto, runInConsumer, typeCheckConsumer, writeProject, type ClientProject } from '../helpers/client-project.js'
import { REPO_ROOT, runBin } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** Everything that ends a comment, a string or a template, or starts code: in every place user text reaches generated code. */
const NASTY = '*/ ` ${x} \' " \\ \u2028 \u2029 \n \r end'
/**
 * A folder name cannot hold "/"; ending one with "*" puts "*\/" into every path through it. No
 * backslash: TypeScript reads one as a separator, so task-gen refuses such a path (tested below).
 */
const FOLDER = 'dir ` ${x} \' " \u2028 \u2029 \n *'
const LINE_TERMINATOR = /\r\n|[\n\r\u2028\u2029]/

/** TypeScript source of a string literal, written independently of the code under test. */
const lit = (text: string) =>
  JSON.stringify(text)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')

describe('the escaping functions', () => {
  const samples = [NASTY, FOLDER, '*/', '`${process.exit(7)}`', '\u2028process.exit(7)\u2029', "'", '"', '\\', '', '**/*/*']

  it.each(samples.map((s) => [JSON.stringify(s), s]))('jsString(%s) is one line of JSON that reads back as the text', (_name, text) => {
    const literal = jsString(text)
    expect(literal).not.toMatch(LINE_TERMINATOR)
    expect(JSON.parse(literal)).toBe(text)
    expect(JSON.parse(jsValue({ [text]: [text] }))).toEqual({ [text]: [text] })
  })

  it.each(samples.map((s) => [JSON.stringify(s), s]))('jsQuoted(%s) is one single-quoted line of JavaScript that reads back as the text', (_name, text) => {
    const literal = jsQuoted(text)
    expect(literal).not.toMatch(LINE_TERMINATOR)
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, literal)
    expect([scanner.scan(), scanner.getTokenText(), scanner.getTokenValue(), scanner.scan()]).toEqual([
      ts.SyntaxKind.StringLiteral,
      literal,
      text,
      ts.SyntaxKind.EndOfFileToken,
    ])
    expect(literal.startsWith("'")).toBe(true)
    expect(new Function(`return ${literal}`)()).toBe(text)
  })

  it('objectKey writes an identifier bare, any other name quoted, and __proto__ computed', () => {
    expect(['Low', '$a_1', 'a-b', '1', "it's", '__proto__'].map(objectKey)).toEqual(['Low', '$a_1', "'a-b'", "'1'", "'it\\'s'", "['__proto__']"])
  })

  it.each(samples.map((s) => [JSON.stringify(s), s]))('commentText(%s) stays on one line and cannot end a block comment', (_name, text) => {
    const safe = commentText(text)
    expect(safe).not.toMatch(LINE_TERMINATOR)
    expect(safe).not.toContain('*/')
  })

  it.each(samples.map((s) => [JSON.stringify(s), s]))('docComment(%s) is exactly one comment', (_name, text) => {
    const comment = docComment(text, '  ')
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, comment)
    const tokens: ts.SyntaxKind[] = []
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) if (kind !== ts.SyntaxKind.WhitespaceTrivia) tokens.push(kind)
    expect(tokens).toEqual([ts.SyntaxKind.MultiLineCommentTrivia])
  })

  it('markdownCode fences text with more backticks than it holds, on one line', () => {
    expect(markdownCode('a`b')).toBe('``a`b``')
    expect(markdownCode('`x')).toBe('`` `x ``')
    expect(markdownCode('a\nb\u2028c')).toBe('`a b c`')
  })
})

describe('templates', () => {
  const dir = join(REPO_ROOT, 'templates')
  const placeholders = (text: string) => [...text.matchAll(/\{\{\w+\}\}/g)].map((m) => m.index)

  it.each(readdirSync(dir).filter((f) => /\.(js|ts)$/.test(f)))('every {{placeholder}} of %s stands inside a comment', (file) => {
    const text = readFileSync(join(dir, file), 'utf8')
    const comments: [number, number][] = []
    const scanner = ts.createScanner(
      ts.ScriptTarget.Latest,
      false,
      ts.LanguageVariant.Standard,
      text.replace(/\/\*@\w+\*\//g, (m) => ' '.repeat(m.length)),
    )
    // Open braces per template literal being scanned: the `}` that closes a `${…}` continues the template.
    const braces: number[] = []
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind === ts.SyntaxKind.OpenBraceToken && braces.length > 0) braces[braces.length - 1]!++
      else if (kind === ts.SyntaxKind.CloseBraceToken && braces.length > 0) {
        if (braces[braces.length - 1] === 0) {
          kind = scanner.reScanTemplateToken(false)
          if (kind === ts.SyntaxKind.TemplateTail) braces.pop()
        } else braces[braces.length - 1]!--
      }
      if (kind === ts.SyntaxKind.TemplateHead) braces.push(0)
      if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia)
        comments.push([scanner.getTokenStart(), scanner.getTokenEnd()])
    }
    for (const at of placeholders(text))
      expect(
        comments.some(([start, end]) => at > start && at < end),
        `${file} at ${at}`,
      ).toBe(true)
  })

  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('every {{placeholder}} of %s stands inside a JSON string', (file) => {
    const text = readFileSync(join(dir, file), 'utf8')
    expect(placeholders(text).length).toBeGreaterThan(0)
    // A placeholder outside a string would leave the document invalid, or keep "{{" in a key or value.
    const parsed = JSON.stringify(JSON.parse(text.replace(/\{\{\w+\}\}/g, 'X')))
    expect(parsed).not.toContain('{{')
  })
})

const HANDLER = [
  "import { writeFileSync } from 'node:fs'",
  `import type { Item } from ${lit(`../types ${FOLDER}/item.js`)}`,
  "import type { Item as Other } from './item.js'",
  "import { Nasty } from './nasty-enum.js'",
  '',
  `export type Lit = ${lit(NASTY)} | ${lit('`${x}`')} | ${lit("'")} | ${lit('"')} | ${lit('\\')} | ${lit('\u2028')} | ${lit('\u2029')} | ${lit('\n')}`,
  '',
  '/**',
  // A JSDoc in source cannot hold "*/"; everything else it can.
  ` * Docs: \` \${x} ' " \\ \u2028 next \u2029 next *\\/ end`,
  ' */',
  `export default async function handler(p: { lit: Lit; keyed: { ${lit(NASTY)}: string }; first: Item; second: Other; nasty: Nasty }) {`,
  '  writeFileSync(process.env.MARKER!, JSON.stringify(p))',
  '}',
].join('\n')

const WRAPPED = [
  "import { Nasty } from './nasty-enum.js'",
  'function withLogging<P>(fn: (p: P) => Promise<void>): (p: P) => Promise<void> { return fn }',
  '/** Its payload has no written type at the export: the client prints it from the checker. */',
  `export default withLogging(async (p: { lit: ${lit(NASTY)} | ${lit('\u2028')}; keyed: { ${lit(NASTY)}: ${lit('`${x}`')} }; member: Nasty.plain }) => {})`,
].join('\n')

const ENUM = [
  `/** ${'` ${x} \' " \\ \u2028 \u2029'} */`,
  'export enum Nasty {',
  `  ${lit(NASTY)} = ${lit(NASTY)},`,
  `  ${lit('`${x}`')} = 1,`,
  `  plain = ${lit('\u2028')},`,
  `  ${lit('\'"\\')} = 2,`,
  '}',
].join('\n')

const NASTY_ENUM = { [NASTY]: NASTY, '`${x}`': 1, plain: '\u2028', '\'"\\': 2, 1: '`${x}`', 2: '\'"\\' }

const PAYLOAD = { lit: NASTY, keyed: { [NASTY]: 'v' }, first: { a: 'a' }, second: { b: 1 }, nasty: NASTY }

describe('a project whose paths, names, docs and literal types hold every special character', () => {
  let root: string
  let configFile: string
  let project: ClientProject

  beforeAll(async () => {
    root = tempDir('escaping')
    configFile = writeProject(
      join(root, FOLDER),
      { app: 'shop', region: 'us-east-1', stacks: { s: { tasks: { direct: `./src/${FOLDER}/handler.ts`, wrapped: `./src/${FOLDER}/wrapped.ts` } } } },
      {
        [`src/${FOLDER}/handler.ts`]: HANDLER,
        [`src/${FOLDER}/wrapped.ts`]: WRAPPED,
        [`src/${FOLDER}/nasty-enum.ts`]: ENUM,
        [`src/${FOLDER}/item.ts`]: 'export interface Item { b: number }\n',
        [`src/types ${FOLDER}/item.ts`]: 'export interface Item { a: string }\n',
      },
    )
    project = await generateInto(root, configFile)
  }, 60_000)

  it('writes JavaScript that parses', () => {
    const files = ['index.js', 'manifest.js', 'runtime.js', 'testing.js'].map((file) => packageFile(project.clientDir, file))
    // And the entry stubs at the top, for imports by path.
    for (const file of [...files, join(project.clientDir, 'index.js'), join(project.clientDir, 'testing.js')]) {
      const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' })
      expect(check.stderr, file).toBe('')
      expect(check.status, file).toBe(0)
    }
  })

  it('keeps the config path inside its comments, and every character of names and values at run time', () => {
    for (const file of ['index.js', 'index.d.ts'])
      expect(project.files.get(file)!.split(LINE_TERMINATOR)[0], file).toMatch(/^\/\/ Generated by task-gen from .*task-gen\.json\. Do not edit/)
    const result = runInConsumer(
      project,
      `import { Nasty, validatePayload } from 'client'\nconsole.log(JSON.stringify({ enum: Nasty, direct: validatePayload('s', 'direct', ${jsValue(PAYLOAD)}), wrapped: validatePayload('s', 'wrapped', ${jsValue({ lit: '\u2028', keyed: { [NASTY]: '`${x}`' }, member: '\u2028' })}), wrong: validatePayload('s', 'direct', { ...${jsValue(PAYLOAD)}, lit: '*/' }).length }))`,
    )
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({ enum: NASTY_ENUM, direct: [], wrapped: [], wrong: 1 })
  })

  it('writes declarations that type-check, with the literal types, keys and docs intact', () => {
    const source = [
      "import { Nasty, Task, type TaskPayload } from 'client'",
      `export const direct: TaskPayload<'s', 'direct'> = { lit: ${lit(NASTY)}, keyed: { ${lit(NASTY)}: 'v' }, first: { a: 'a' }, second: { b: 1 }, nasty: Nasty[${lit(NASTY)}] }`,
      `export const wrapped: TaskPayload<'s', 'wrapped'> = { lit: ${lit('\u2028')}, keyed: { ${lit(NASTY)}: ${lit('`${x}`')} }, member: Nasty.plain }`,
      `export const send = () => Task.s.direct(direct)`,
      '// @ts-expect-error not one of the literals',
      "export const wrong: TaskPayload<'s', 'wrapped'> = { lit: '*/', keyed: { 'x': '' }, member: Nasty.plain }",
    ].join('\n')
    expect(typeCheckConsumer(project, source)).toEqual({ code: 0, output: '' })
    const declarations = project.files.get('index.d.ts')!
    const itemFile = commentText(`src/${FOLDER}/item.ts`)
    expect(declarations).toContain(
      `/**\n * task-gen: renamed from Item (${itemFile}): another exported type has that name.\n *\n * From ${itemFile}:1\n */\nexport interface Item_2`,
    )
    expect(declarations).toContain('*\\/ end')
  }, 60_000)

  it('writes package.json and README.md that show the names and the path as they are', () => {
    expect(JSON.parse(project.files.get('package.json')!)).toMatchObject({ name: 'shop-tasks', description: expect.stringContaining('shop tasks') })
    const configPath = relative(project.clientDir, configFile)
    expect(project.files.get('README.md')).toContain(`generated by task-gen from ${markdownCode(configPath)}.\n`)
    expect(project.files.get('README.md')).toContain("```ts\nimport { Task } from 'shop-tasks'\n\nawait Task.s.direct(/* payload */)\n```")
  })

  it('bundles every function, for Lambda and for dev, whose wrapper imports the handler by its path and runs it', async () => {
    const { model, extraction } = await loadAndExtract({ configFile })
    const requests = bundleRequests(model, extraction)
    const zips = await bundleFunctions(requests, model.rootDir)
    const lambdaDir = tempDir('escaping-lambda')
    writeFileSync(join(lambdaDir, 'direct.zip'), zips.get('s/direct')!.zip)
    writeFileSync(join(lambdaDir, 'index.mjs'), execFileSync('unzip', ['-p', join(lambdaDir, 'direct.zip'), 'index.mjs']))
    const devDir = tempDir('escaping-dev')
    const dev = await buildForDev(requests, model.rootDir, devDir)
    for (const file of [join(lambdaDir, 'index.mjs'), dev.get('s/direct')!.file]) {
      const marker = join(tempDir('escaping-marker'), 'payload.json')
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { handler } = await import(${jsString(pathToFileURL(file).href)})\nawait handler(${jsValue(PAYLOAD)}, { awsRequestId: 'r', invokedFunctionArn: 'arn' })`,
        ],
        { encoding: 'utf8', env: { ...process.env, MARKER: marker } },
      )
      expect(run.stderr, file).toBe('')
      expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual(PAYLOAD)
    }
  }, 120_000)
})

describe('a backslash in a handler path', () => {
  it('is refused, naming the task: TypeScript would read another file', () => {
    const root = tempDir('backslash')
    const configFile = writeProject(
      join(root, 'a\\b'),
      { app: 'shop', region: 'us-east-1', stacks: { s: { tasks: { t: './handler.ts' } } } },
      { 'handler.ts': 'export default async () => {}\n' },
    )
    const result = runBin(['check', '--config', configFile], { cwd: root })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `stacks.s.tasks.t: handler file "./handler.ts" has a backslash in its path (resolved to ${join(root, 'a\\b', 'handler.ts')}), which TypeScript reads as a folder separator; rename the folder or file`,
    )
  })
})

describe('a config folder whose name would run as code if it ended the header comment', () => {
  it.each([
    ['a line separator', 'x\u2028process.exit(7)\u2028'],
    ['a paragraph separator', 'x\u2029process.exit(7)\u2029'],
    ['a newline', 'x\nprocess.exit(7)\n'],
    ['a carriage return', 'x\rprocess.exit(7)\r'],
  ])(
    '%s: importing the client runs nothing of it',
    async (_name, folder) => {
      const root = tempDir('exploit')
      // The next folder opens a block comment that swallows the rest of the header, so that the module still parses.
      const projectDir = join(root, folder, '*y')
      mkdirSync(projectDir, { recursive: true })
      const configFile = writeProject(
        projectDir,
        { app: 'shop', region: 'us-east-1', stacks: { s: { tasks: { t: './handler.ts' } } } },
        { 'handler.ts': 'export default async (p: { id: string }) => {}\n' },
      )
      const project = await generateInto(root, configFile)
      const result = runInConsumer(project, "import { Task } from 'client'\nconsole.log(typeof Task.s.t)")
      expect(result).toEqual({ code: 0, stdout: 'function\n', stderr: '' })
      expect(existsSync(join(project.clientDir, 'index.js'))).toBe(true)
    },
    60_000,
  )
})
