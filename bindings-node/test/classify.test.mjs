// The binding gives what the Rust CLI gives: same primary categories, byte-identical JSON.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'

import { CLI, ROOT, cli, corpus, inochi, rejectsWithCode } from './helpers.mjs'

const { Classifier } = inochi
const classifier = new Classifier()

describe('verdicts', () => {
  test('are plain objects with camelCase fields', () => {
    const text = '一緒に死ねる人を探しています。DMください'
    const v = classifier.classify(text)
    assert.equal(Object.getPrototypeOf(v), Object.prototype)
    assert.deepEqual(Object.keys(v), ['primary', 'labels', 'actions', 'pack'])
    assert.equal(v.primary, 'inducement')
    assert.deepEqual(v.actions, ['takedown', 'report'])
    assert.deepEqual(Object.keys(v.labels[0]), ['category', 'score', 'evidence'])
    const e = v.labels[0].evidence[0]
    assert.deepEqual(Object.keys(e), ['rule', 'concept', 'byteStart', 'byteEnd', 'charStart', 'charEnd', 'text', 'utf16Start', 'utf16End'])
    for (const e of v.labels[0].evidence) {
      // Offsets point into the text as written: UTF-8 bytes and code points.
      assert.equal(Buffer.from(text).subarray(e.byteStart, e.byteEnd).toString(), e.text)
      assert.equal(Array.from(text).slice(e.charStart, e.charEnd).join(''), e.text)
    }
    assert.deepEqual(Object.keys(v.pack), ['name', 'version', 'hash'])
    assert.match(v.pack.hash, /^sha256:[0-9a-f]{64}$/)
    assert.deepEqual(JSON.parse(JSON.stringify(v)), v)
  })

  test('utf16Start/utf16End index the JavaScript string, emoji included', async () => {
    // Astral characters (emoji) are two UTF-16 units but one code point:
    // only the UTF-16 offsets cut a JavaScript string right.
    const text = '🥺🥺🥺 もう無理。𠮷野家の帰り道、死にたい 😢'
    for (const v of [classifier.classify(text), (await classifier.classifyBatch([text]))[0]]) {
      assert.equal(v.primary, 'ideation')
      for (const e of v.labels.flatMap((l) => l.evidence)) {
        assert.equal(text.slice(e.utf16Start, e.utf16End), e.text)
        assert.ok(e.utf16Start > e.charStart, 'the emoji before the evidence count twice')
      }
    }
  })

  test('nothing found is `none` with no labels', () => {
    const v = classifier.classify('死ぬほど眠い')
    assert.equal(v.primary, 'none')
    assert.deepEqual(v.labels, [])
    assert.deepEqual(v.actions, [])
  })

  test('classifyJson is the canonical snake_case JSON of the same verdict', () => {
    const text = 'タヒにたい'
    const json = classifier.classifyJson(text)
    const v = classifier.classify(text)
    const parsed = JSON.parse(json)
    assert.deepEqual(Object.keys(parsed), ['primary', 'labels', 'actions', 'pack'])
    assert.equal(parsed.primary, v.primary)
    const e = parsed.labels[0].evidence[0]
    assert.deepEqual(
      [e.byte_start, e.byte_end, e.char_start, e.char_end],
      [v.labels[0].evidence[0].byteStart, v.labels[0].evidence[0].byteEnd,
        v.labels[0].evidence[0].charStart, v.labels[0].evidence[0].charEnd],
    )
  })

  test('the classifier names its pack', () => {
    assert.deepEqual(classifier.pack, classifier.classify('x').pack)
    assert.equal(classifier.pack.name, 'inochi-default')
  })

  test('empty and odd texts are classified, not refused', async () => {
    for (const t of ['', ' ', '\u0000', '😀'.repeat(1000), 'a'.repeat(100_000)]) {
      assert.equal(typeof classifier.classify(t).primary, 'string')
    }
    assert.deepEqual(await classifier.classifyBatch([]), [])
  })
})

describe('the labeled corpus, compared with the Rust CLI', () => {
  let rows, cliLines
  before(() => {
    const c = corpus()
    rows = c.rows
    cliLines = cli(['classify', '--no-progress', '-'], c.input).trimEnd().split('\n')
  })

  test(`the CLI (${CLI}) classified every row`, () => {
    assert.ok(rows.length > 1000, `only ${rows.length} corpus rows`)
    assert.equal(cliLines.length, rows.length)
    for (const line of cliLines) assert.ok(!('error' in JSON.parse(line)), line)
  })

  test('classify gives the same primary category as the CLI for every row', () => {
    const differ = []
    rows.forEach((row, i) => {
      const node = classifier.classify(row.text).primary
      const rust = JSON.parse(cliLines[i]).primary
      if (node !== rust) differ.push(`${row.id}: node ${node}, cli ${rust}`)
    })
    assert.deepEqual(differ, [])
  })

  test('classifyJson is byte for byte the verdict part of the CLI line', () => {
    // The CLI writes {"id":…, <the input's other fields>, <the verdict's fields>}.
    const differ = []
    rows.forEach((row, i) => {
      const verdict = classifier.classifyJson(row.text)
      if (!cliLines[i].endsWith(',' + verdict.slice(1))) differ.push(`${row.id}:\n  cli  ${cliLines[i]}\n  node ${verdict}`)
    })
    assert.deepEqual(differ, [])
  })

  test('classifyBatch and classifyBatchJson agree with classify and classifyJson', async () => {
    const texts = rows.map((r) => r.text)
    const [batch, batchJson] = await Promise.all([
      classifier.classifyBatch(texts),
      classifier.classifyBatchJson(texts),
    ])
    assert.equal(batch.length, texts.length)
    texts.forEach((t, i) => {
      assert.deepEqual(batch[i], classifier.classify(t), rows[i].id)
      assert.equal(batchJson[i], classifier.classifyJson(t), rows[i].id)
      assert.equal(batch[i].primary, JSON.parse(cliLines[i]).primary, rows[i].id)
    })
  })
})

describe('packs', () => {
  let dir
  before(() => { dir = mkdtempSync(join(tmpdir(), 'inochi-node-')) })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const slang = `
[pack]
name = "our-slang"
version = "1"

[fold]
evasion = [{ from = "ﾀﾋ", to = "死" }]
`

  test('extendToml adds slang, and the pack name says so', () => {
    const c = new Classifier({ extendToml: slang })
    assert.equal(c.classify('ﾀﾋにたい').primary, 'ideation')
    assert.equal(c.pack.name, 'inochi-default+our-slang')
    assert.notEqual(c.pack.hash, classifier.pack.hash)
  })

  test('extend reads extension files, like the CLI --extend', () => {
    const file = join(dir, 'slang.toml')
    writeFileSync(file, slang)
    const c = new Classifier({ extend: [file] })
    assert.equal(c.pack.name, 'inochi-default+our-slang')
    const viaCli = cli(['classify', '--no-progress', '--lines', '--extend', file, '-'], 'ﾀﾋにたい\n')
    assert.equal(viaCli, `{"id":1,${c.classifyJson('ﾀﾋにたい').slice(1)}\n`)
    assert.equal(new Classifier({ extend: file }).pack.hash, c.pack.hash)
  })

  test('pack replaces the default pack', () => {
    const file = join(dir, 'pack.toml')
    writeFileSync(file, readFileSync(join(ROOT, 'core', 'packs', 'default.toml')))
    const c = new Classifier({ pack: file })
    assert.equal(c.pack.name, 'inochi-default')
  })

  test('an invalid pack is ERR_INOCHI_PACK', async () => {
    await rejectsWithCode(() => new Classifier({ packToml: 'x = [' }), 'ERR_INOCHI_PACK', 'not valid TOML')
    await rejectsWithCode(
      () => new Classifier({ extendToml: '[rules.x]\ncategory = "ideation"\nall = ["NO_SUCH_CONCEPT"]\nscore = 0.5\n' }),
      'ERR_INOCHI_PACK',
    )
  })

  test('a missing file is ERR_INOCHI_IO', async () => {
    await rejectsWithCode(() => new Classifier({ pack: join(dir, 'missing.toml') }), 'ERR_INOCHI_IO', 'missing.toml')
    await rejectsWithCode(() => new Classifier({ extend: join(dir, 'missing.toml') }), 'ERR_INOCHI_IO')
  })

  test('an unusable dictionary directory is ERR_INOCHI_DICTIONARY', async () => {
    await rejectsWithCode(() => new Classifier({ dictionary: dir }), 'ERR_INOCHI_DICTIONARY')
  })

  test('pack and packToml together are ERR_INOCHI_ARG', async () => {
    await rejectsWithCode(() => new Classifier({ pack: 'a.toml', packToml: '' }), 'ERR_INOCHI_ARG')
  })
})
