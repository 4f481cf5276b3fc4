// Shared by the test files: the package under test, the repository's corpus and the Rust CLI.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const PACKAGE_DIR = resolve(here, '..')
export const ROOT = resolve(PACKAGE_DIR, '..')

// INOCHI_NODE_PACKAGE points the suite at an installed copy of the package instead.
export const PACKAGE_UNDER_TEST = process.env.INOCHI_NODE_PACKAGE ?? PACKAGE_DIR
const require = createRequire(import.meta.url)
export const inochi = require(PACKAGE_UNDER_TEST)

const targetDir = process.env.CARGO_TARGET_DIR
  ? resolve(ROOT, process.env.CARGO_TARGET_DIR)
  : join(ROOT, 'target')
/** The Rust CLI the binding is compared with (test.sh builds it). */
export const CLI = process.env.INOCHI_CLI ?? join(targetDir, 'debug', 'inochi')

/** Runs the CLI; returns stdout, fails the test on a non-zero exit. */
export function cli(args, input) {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: build it with \`cargo build -p inochi-cli\` or set INOCHI_CLI`)
  }
  const r = spawnSync(CLI, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 })
  if (r.status !== 0) {
    throw new Error(`inochi ${args.join(' ')} exited with ${r.status}: ${r.stderr}`)
  }
  return r.stdout
}

/** Every line of tests/corpus/*.jsonl, as text (the CLI's input) and parsed rows. */
export function corpus() {
  const dir = join(ROOT, 'tests', 'corpus')
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
  return { input: lines.join('\n') + '\n', rows: lines.map((l) => JSON.parse(l)) }
}

/** Expects `fn` to throw (or the promise to reject) an Error with `code`. */
export async function rejectsWithCode(fnOrPromise, code, messagePart) {
  let caught
  try {
    const r = typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise
    await r
  } catch (e) {
    caught = e
  }
  if (!(caught instanceof Error)) {
    throw new Error(`expected an Error with code ${code}, got ${caught === undefined ? 'no error' : String(caught)}`)
  }
  if (caught.code !== code) {
    throw new Error(`expected code ${code}, got ${caught.code}: ${caught.message}`)
  }
  if (messagePart !== undefined && !caught.message.includes(messagePart)) {
    throw new Error(`expected the message to contain ${JSON.stringify(messagePart)}: ${caught.message}`)
  }
  return caught
}
