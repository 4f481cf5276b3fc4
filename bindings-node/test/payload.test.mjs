// Payloads: the same documents as `inochi act`, and errors with a stable code.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'

import { ROOT, cli, inochi, rejectsWithCode } from './helpers.mjs'

const { Classifier, takedownRequest, emergencyReport, supportReferral } = inochi
const classifier = new Classifier()
const NOW = '2025-03-17T10:00:00+09:00'
const requester = { organisation: 'Example Cyber Patrol', kind: 'cyber_patrol', contact: 'patrol@example.org' }
const TERMS = '利用規約 第5条第1項'

const INDUCEMENT = '一緒に死ねる人を探しています。DMください'
const ANNOUNCEMENT = '今夜ビルの屋上から飛び降ります。さようなら'
const IDEATION = '死にたいなあ'
const post = (text, extra = {}) => ({ text, url: 'https://sns.example/@someone/posts/1', ...extra })

describe('payloads match `inochi act` byte for byte', () => {
  let dir, rows, json, dsa, written
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'inochi-node-act-'))
    const req = join(dir, 'requester.toml')
    writeFileSync(req, `organisation = "${requester.organisation}"\nkind = "cyber_patrol"\ncontact = "${requester.contact}"\n[policy]\nterms_reference = "${TERMS}"\n`)
    const posts = join(ROOT, 'examples', 'posts.jsonl')
    rows = readFileSync(posts, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    const verdicts = join(dir, 'verdicts.jsonl')
    writeFileSync(verdicts, cli(['classify', '--no-progress', posts]))
    const act = (...more) => cli(['act', verdicts, '--requester', req, '--now', NOW, ...more])
    json = act('--format', 'json').trimEnd().split('\n')
    dsa = act('--format', 'dsa').trimEnd().split('\n')
    written = act('--format', 'letter', '--out', join(dir, 'letters')).trimEnd().split('\n').map((l) => JSON.parse(l))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** The payloads `inochi act` builds for one example post, built with the binding. */
  function build(row) {
    const v = classifier.classify(row.text)
    const p = { text: row.text, url: row.url, postId: row.post_id, accountId: row.account_id, postedAt: row.posted_at }
    const has = (c) => v.labels.some((l) => l.category === c)
    const out = []
    if (v.actions.includes('takedown') && (has('inducement') || has('method'))) {
      out.push(takedownRequest(v, p, requester, { now: NOW, termsReference: TERMS }))
    }
    if (v.actions.includes('emergency')) out.push(emergencyReport(v, p, requester, { now: NOW }))
    if (v.actions.includes('support')) out.push(supportReferral(v, p, { now: NOW }))
    return out
  }

  test('JSON (toJson)', () => {
    const node = rows.flatMap((r) => build(r).map((p) => p.toJson()))
    assert.ok(node.length >= 15, `only ${node.length} payloads`)
    assert.deepEqual(node, json)
  })

  test('every kind of payload is among them', () => {
    const kinds = new Set(rows.flatMap((r) => build(r).map((p) => p.type)))
    assert.deepEqual([...kinds].sort(), ['emergency_report', 'support_referral', 'takedown_request'])
  })

  test('DSA statements of reasons (toDsa)', () => {
    const node = rows.flatMap((r) => build(r).filter((p) => p.type === 'takedown_request').map((p) => p.toDsa()))
    assert.deepEqual(node, dsa)
  })

  test('letters, police reports, Art. 18 notices and support texts', () => {
    const docs = rows.flatMap((r) => build(r).flatMap((p) => {
      switch (p.type) {
        case 'takedown_request': return [[p.id, '.txt', p.toLetter()]]
        case 'emergency_report': return [[p.id, '.txt', p.toPoliceReport()], [p.id, '.art18.txt', p.toDsaNotice()]]
        default: return [[p.id, '.txt', p.toText()]]
      }
    }))
    assert.equal(docs.length, written.length)
    docs.forEach(([id, suffix, text], i) => {
      assert.equal(written[i].payload_id, id)
      assert.ok(written[i].file.endsWith(id + suffix), written[i].file)
      const file = readFileSync(written[i].file, 'utf8')
      assert.equal(file, text.endsWith('\n') ? text : text + '\n', written[i].file)
    })
  })
})

describe('takedown requests', () => {
  const verdict = classifier.classify(INDUCEMENT)

  test('are reproducible with a fixed `now`, and JSON.stringify gives the document', () => {
    const a = takedownRequest(verdict, post(INDUCEMENT), requester, { now: NOW })
    const b = takedownRequest(verdict, post(INDUCEMENT), requester, { now: NOW })
    assert.equal(a.toJson(), b.toJson())
    assert.match(a.id, /^td-[0-9a-f]{20}$/)
    assert.equal(a.type, 'takedown_request')
    assert.equal(a.category, 'inducement')
    const doc = JSON.parse(a.toJson())
    assert.equal(doc.id, a.id)
    assert.equal(doc.created_at, NOW)
    assert.deepEqual(a.toJSON(), doc)
    assert.deepEqual(JSON.parse(JSON.stringify(a)), doc)
    assert.match(a.toLetter(), /^削除依頼書\n/)
    assert.ok(a.toLetter().includes('https://sns.example/@someone/posts/1'))
  })

  test('without `now` carry the current time', () => {
    const r = takedownRequest(verdict, post(INDUCEMENT), requester)
    const created = Date.parse(r.toJSON().created_at)
    assert.ok(Math.abs(Date.now() - created) < 60_000, r.toJSON().created_at)
  })

  test('accept a verdict that went through JSON', () => {
    const copy = JSON.parse(JSON.stringify(verdict))
    assert.equal(
      takedownRequest(copy, post(INDUCEMENT), requester, { now: NOW }).toJson(),
      takedownRequest(verdict, post(INDUCEMENT), requester, { now: NOW }).toJson(),
    )
  })

  test('options reach the document', () => {
    const r = takedownRequest(verdict, post(INDUCEMENT), requester, {
      now: NOW, requestedAction: 'restrict_visibility', responseDays: 3, termsReference: TERMS,
    }).toJSON()
    assert.equal(r.requested_action, 'restrict_visibility')
    assert.equal(r.response_deadline, '2025-03-20T10:00:00+09:00')
    // The platform's terms are a ground for `method` (not for `inducement`, which rests on the
    // Internet Hotline Center's definition and the model terms of service).
    const method = '確実に死ねる方法を教えます'
    const m = takedownRequest(classifier.classify(method), post(method), requester, { now: NOW, termsReference: TERMS }).toJSON()
    assert.ok(m.grounds.some((g) => g.reference === TERMS), JSON.stringify(m.grounds))
  })

  test('DSA options', async () => {
    const r = takedownRequest(verdict, post(INDUCEMENT), requester, { now: NOW })
    const s = JSON.parse(r.toDsa({ decisionGround: 'illegal_content', illegalContentLegalGround: 'Art. 202 Penal Code (JP)', territorialScope: ['DE', 'FR'], automatedDecision: 'fully' }))
    assert.equal(s.decision_ground, 'DECISION_GROUND_ILLEGAL_CONTENT')
    assert.deepEqual(s.territorial_scope, ['DE', 'FR'])
    assert.equal(s.automated_decision, 'AUTOMATED_DECISION_FULLY')
    await rejectsWithCode(() => r.toDsa({ decisionGround: 'illegal_content' }), 'ERR_INOCHI_PAYLOAD', 'illegal_content_legal_ground')
    await rejectsWithCode(() => r.toDsa({ territorialScope: ['US'] }), 'ERR_INOCHI_PAYLOAD', 'territorial_scope')
    await rejectsWithCode(() => r.toDsa({ termsUrl: 'terms' }), 'ERR_INOCHI_PAYLOAD', 'terms_url')
  })

  test('a cry for help is never taken down', async () => {
    const v = classifier.classify(IDEATION)
    assert.equal(v.primary, 'ideation')
    await rejectsWithCode(() => takedownRequest(v, post(IDEATION), requester), 'ERR_INOCHI_PAYLOAD', 'support referral')
  })

  test('an announcement gets an emergency report, not a takedown', async () => {
    const v = classifier.classify(ANNOUNCEMENT)
    await rejectsWithCode(() => takedownRequest(v, post(ANNOUNCEMENT), requester), 'ERR_INOCHI_PAYLOAD', 'emergency report')
  })

  test('incitement needs the operator policy', async () => {
    const v = classifier.classify('死ね')
    assert.equal(v.primary, 'incitement')
    await rejectsWithCode(() => takedownRequest(v, post('死ね'), requester), 'ERR_INOCHI_PAYLOAD', 'incitementTakedown')
    assert.equal(takedownRequest(v, post('死ね'), requester, { incitementTakedown: true }).category, 'incitement')
  })

  test('bad input is ERR_INOCHI_PAYLOAD, naming the field', async () => {
    await rejectsWithCode(() => takedownRequest(verdict, { text: INDUCEMENT }, requester), 'ERR_INOCHI_PAYLOAD', 'target.url')
    await rejectsWithCode(() => takedownRequest(verdict, post(INDUCEMENT, { url: 'sns.example/1' }), requester), 'ERR_INOCHI_PAYLOAD', 'target.url')
    await rejectsWithCode(() => takedownRequest(verdict, post(INDUCEMENT), requester, { now: 'yesterday' }), 'ERR_INOCHI_PAYLOAD', 'RFC 3339')
    await rejectsWithCode(() => takedownRequest(verdict, post(INDUCEMENT), { ...requester, organisation: '' }), 'ERR_INOCHI_PAYLOAD', 'organisation')
    await rejectsWithCode(() => takedownRequest(verdict, post(INDUCEMENT), requester, { category: 'method' }), 'ERR_INOCHI_PAYLOAD', 'no method label')
  })

  test('a verdict made for another text is refused', async () => {
    await rejectsWithCode(() => takedownRequest(verdict, post('一緒に死のう'), requester), 'ERR_INOCHI_PAYLOAD', 'classify this exact text again')
  })
})

describe('emergency reports', () => {
  const verdict = classifier.classify(ANNOUNCEMENT)

  test('are built for an announcement, with a police report and a DSA Art. 18 notice', () => {
    assert.equal(verdict.primary, 'announcement')
    const r = emergencyReport(verdict, post(ANNOUNCEMENT, { postedAt: '2025-03-15T21:48:33+09:00' }), requester, { now: NOW })
    assert.match(r.id, /^er-[0-9a-f]{20}$/)
    assert.equal(r.type, 'emergency_report')
    assert.deepEqual(r.warnings, [])
    assert.ok(r.toPoliceReport().includes('自殺予告'))
    assert.ok(r.toDsaNotice().includes('Article 18'))
    assert.deepEqual(JSON.parse(r.toJson()), r.toJSON())
  })

  test('malformed metadata is left out with a warning, never blocking the report', () => {
    const r = emergencyReport(verdict, { text: ANNOUNCEMENT, url: 'not a url', postedAt: 'last night' }, requester, { now: NOW })
    assert.equal(r.warnings.length, 2, r.warnings.join('\n'))
  })

  test('no announcement, no emergency report', async () => {
    await rejectsWithCode(() => emergencyReport(classifier.classify(IDEATION), post(IDEATION), requester), 'ERR_INOCHI_PAYLOAD', 'support referral')
  })
})

describe('support referrals', () => {
  test('show help in the post language', () => {
    const ja = supportReferral(classifier.classify(IDEATION), post(IDEATION), { now: NOW })
    assert.match(ja.id, /^sr-[0-9a-f]{20}$/)
    assert.equal(ja.type, 'support_referral')
    assert.equal(ja.toJSON().language, 'ja')
    const en = supportReferral(classifier.classify('i just want to die'), post('i just want to die'), { now: NOW, locale: 'en-US' })
    assert.equal(en.toJSON().resources[0].phones[0].number, '988')
    assert.ok(en.toText().includes('988'))
  })

  test('options: age group and resources', async () => {
    const v = classifier.classify(IDEATION)
    const minor = supportReferral(v, post(IDEATION), { now: NOW, ageGroup: 'minor' })
    assert.equal(minor.toJSON().age_group, 'minor')
    const resources = readFileSync(join(ROOT, 'core', 'resources', 'support.toml'), 'utf8')
    assert.equal(
      supportReferral(v, post(IDEATION), { now: NOW, resourcesToml: resources }).toJson(),
      supportReferral(v, post(IDEATION), { now: NOW }).toJson(),
    )
    await rejectsWithCode(() => supportReferral(v, post(IDEATION), { resourcesToml: 'as_of = [' }), 'ERR_INOCHI_PAYLOAD', 'resourcesToml')
    await rejectsWithCode(() => supportReferral(v, post(IDEATION), { resources: '/nonexistent/support.toml' }), 'ERR_INOCHI_IO', '/nonexistent/support.toml')
    await rejectsWithCode(() => supportReferral(v, post(IDEATION), { resources: 'a', resourcesToml: 'b' }), 'ERR_INOCHI_ARG')
  })

  test('none for a post with nothing to answer', async () => {
    await rejectsWithCode(() => supportReferral(classifier.classify(INDUCEMENT), post(INDUCEMENT)), 'ERR_INOCHI_PAYLOAD', 'no support referral')
  })
})
