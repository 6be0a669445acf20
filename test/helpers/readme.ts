// The README's shell blocks, so that tests run the very commands it shows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, REPO_ROOT } from './run-cli.js'

export const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

export interface ShellLine {
  /** The `##`/`###` heading the block is under. */
  section: string
  /** The command, its trailing `# comment` removed. */
  command: string
  /** The comment lines (`# …`) that follow it in the block: what the README says it prints. */
  output: string[]
}

/** Every command line of every ```sh block, with the heading it is under. */
export function readmeShellLines(text: string = README): ShellLine[] {
  const found: ShellLine[] = []
  let section = ''
  let inBlock = false
  for (const line of text.split('\n')) {
    if (!inBlock && /^#{2,3} /.test(line)) section = line.replace(/^#+ /, '')
    else if (!inBlock && line === '```sh') inBlock = true
    else if (inBlock && line === '```') inBlock = false
    else if (inBlock && /^\s*#/.test(line)) found.at(-1)?.output.push(line.replace(/^\s*# ?/, ''))
    else if (inBlock && line.trim() !== '') found.push({ section, command: line.replace(/\s+#.*$/, '').trim(), output: [] })
  }
  return found
}

/** The one README command that starts with `prefix`; throws when there is none or more than one, so a README edit cannot silently drop a test. */
export function readmeCommand(prefix: string): ShellLine {
  const matches = readmeShellLines().filter((line) => line.command.startsWith(prefix) || line.command.replace(/^(\w+=\S+\s+)+/, '').startsWith(prefix))
  if (matches.length !== 1) throw new Error(`the README has ${matches.length} shell commands starting with ${JSON.stringify(prefix)}; a test runs exactly one`)
  return matches[0]!
}

/** Splits a command as sh would for the README's simple lines: quotes, no expansions. */
export function shellWords(command: string): string[] {
  const words: string[] = []
  for (const match of command.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push(match[1] ?? match[2]?.replace(/\\(.)/g, '$1') ?? match[3]!)
  return words
}

export interface LocalCommand {
  file: string
  args: string[]
  /** `VAR=value` assignments before the command. */
  env: Record<string, string>
}

/**
 * A README command as this checkout runs it: `npx task-gen` is the built CLI and `npx cdktf` the
 * installed cdktf-cli (what npx finds in the repository), everything else as written.
 */
export function localCommand(command: string): LocalCommand {
  const words = shellWords(command)
  const env: Record<string, string> = {}
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=')
    env[name!] = value.join('=')
  }
  if (words[0] === 'npx' && words[1] === 'task-gen') return { file: process.execPath, args: [BIN, ...words.slice(2)], env }
  if (words[0] === 'npx' && words[1] === 'cdktf') return { file: join(REPO_ROOT, 'node_modules/.bin/cdktf'), args: words.slice(2), env }
  return { file: words[0]!, args: words.slice(1), env }
}
