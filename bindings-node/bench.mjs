#!/usr/bin/env node
// classifyBatch throughput against the Rust CLI, on the same lines.
//
// Usage (from the repository root, after `npm run build` in bindings-node/ and
// `cargo build --release -p inochi-cli`):
//
//   node bindings-node/bench.mjs [LINES_FILE | --corpus N] [--runs N] [--chunk N]
//
// LINES_FILE: plain text, one post per line; default .cache/sweep/lines.txt (real Japanese text,
// written by tests/sweep.sh; almost all of it benign, so most lines stop at the trigger scan),
// else, or with --corpus N, N lines (default 100,000) made from the labeled corpus (nearly all
// of them reach the tokenizer and the rules). Each side runs N times (default 3) and the best run
// counts. Reported:
//   cli                 `inochi classify --lines FILE` (release), output to /dev/null: reading,
//                       classifying on every core, writing one JSON line per post
//   classifyBatch       every line in one call, verdicts as JavaScript objects
//   classifyBatch/chunk the same in chunks of --chunk lines (default 4096, the CLI's), awaited
//                       one after the other: what a service feeding a stream would do
//   classifyBatchJson   every line in one call, verdicts as canonical JSON strings
//   classify (1 core)   a synchronous loop on the main thread, for scale
// and the ratio of each to the CLI's posts per second.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const require = createRequire(import.meta.url)
const { Classifier } = require(here)

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  if (i < 0) return fallback
  const [, value] = args.splice(i, 2)
  return Number(value)
}
const runs = option('--runs', 3)
const chunk = option('--chunk', 4096)
const corpusIndex = args.indexOf('--corpus')
let corpusLines = 0
if (corpusIndex >= 0) {
  const n = Number(args[corpusIndex + 1])
  corpusLines = Number.isInteger(n) && n > 0 ? n : 100_000
  args.splice(corpusIndex, Number.isInteger(n) && n > 0 ? 2 : 1)
}
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, 'target')
const cliPath = process.env.INOCHI_CLI ?? join(targetDir, 'release', 'inochi')
if (!existsSync(cliPath)) {
  console.error(`bench: ${cliPath} is missing: run \`cargo build --release -p inochi-cli\` (or set INOCHI_CLI)`)
  process.exit(2)
}

const tmp = mkdtempSync(join(tmpdir(), 'inochi-bench-'))
let file = args[0] ?? join(root, '.cache', 'sweep', 'lines.txt')
let source = file
if (corpusLines === 0 && !existsSync(file)) corpusLines = 100_000
if (corpusLines > 0) {
  const dir = join(root, 'tests', 'corpus')
  const texts = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text.replace(/[\r\n]+/g, ' ')))
  file = join(tmp, 'lines.txt')
  writeFileSync(file, Array.from({ length: corpusLines }, (_, i) => `${texts[i % texts.length]} ${i}`).join('\n') + '\n')
  source = `${corpusLines} lines made from the labeled corpus`
}
// The CLI reads lines split at \n with a trailing \r dropped; so does this.
const lines = readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''))
if (lines.at(-1) === '') lines.pop()
const mb = readFileSync(file).length / 1e6

function best(fn) {
  let ms = Infinity
  for (let i = 0; i < runs; i++) ms = Math.min(ms, fn())
  return ms
}
async function bestAsync(fn) {
  let ms = Infinity
  for (let i = 0; i < runs; i++) ms = Math.min(ms, await fn())
  return ms
}

const classifier = new Classifier()
const results = []
const record = (name, ms, n = lines.length) => results.push({ name, ms, perSecond: (n / ms) * 1000 })

record('cli', best(() => {
  const t = performance.now()
  const r = spawnSync(cliPath, ['classify', '--lines', '--no-progress', file], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) throw new Error(`inochi classify exited with ${r.status}`)
  return performance.now() - t
}))
record('classifyBatch', await bestAsync(async () => {
  const t = performance.now()
  const v = await classifier.classifyBatch(lines)
  if (v.length !== lines.length) throw new Error('short batch')
  return performance.now() - t
}))
record(`classifyBatch/${chunk}`, await bestAsync(async () => {
  const t = performance.now()
  for (let i = 0; i < lines.length; i += chunk) await classifier.classifyBatch(lines.slice(i, i + chunk))
  return performance.now() - t
}))
record('classifyBatchJson', await bestAsync(async () => {
  const t = performance.now()
  await classifier.classifyBatchJson(lines)
  return performance.now() - t
}))
const sample = lines.slice(0, Math.min(lines.length, 20_000))
record('classify (1 core)', best(() => {
  const t = performance.now()
  for (const l of sample) classifier.classify(l)
  return performance.now() - t
}), sample.length)

const cli = results[0].perSecond
console.log(`inochi bench: ${lines.length} lines (${mb.toFixed(1)} MB) from ${source}`)
console.log(`node ${process.version}, ${cpus().length} cores, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, best of ${runs}; cli ${cliPath}`)
console.log('')
console.log('what                       time (ms)     posts/s   vs cli')
for (const r of results) {
  console.log(`${r.name.padEnd(24)} ${r.ms.toFixed(0).padStart(11)} ${r.perSecond.toFixed(0).padStart(11)}   ${(r.perSecond / cli).toFixed(2)}x`)
}
rmSync(tmp, { recursive: true, force: true })
