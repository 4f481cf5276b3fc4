// Failures are Error objects with a stable `code`, never a crashed process.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import { PACKAGE_UNDER_TEST, inochi, rejectsWithCode } from './helpers.mjs'

const classifier = new inochi.Classifier()

test('a panic inside the library is ERR_INOCHI_PANIC, and the library goes on', async () => {
  await rejectsWithCode(() => inochi.__panicForTests('sync'), 'ERR_INOCHI_PANIC', 'deliberate panic (sync)')
  const pending = inochi.__panicForTests('async')
  assert.ok(pending instanceof Promise)
  await rejectsWithCode(pending, 'ERR_INOCHI_PANIC', 'deliberate panic (async)')
  assert.equal(classifier.classify('死にたい').primary, 'ideation')
  assert.equal((await classifier.classifyBatch(['死にたい']))[0].primary, 'ideation')
  await rejectsWithCode(() => inochi.__panicForTests('sideways'), 'ERR_INOCHI_ARG')
})

test('arguments of the wrong JavaScript type are thrown Errors with a code', async () => {
  // napi-rs checks types before inochi runs; its codes name what was expected.
  await rejectsWithCode(() => classifier.classify(42), 'StringExpected')
  await rejectsWithCode(() => classifier.classify(), 'StringExpected')
  await rejectsWithCode(() => classifier.classifyBatch('not an array'), 'ArrayExpected')
  await rejectsWithCode(() => classifier.classifyBatch([1, 2]), 'StringExpected')
  await rejectsWithCode(() => new inochi.Classifier({ pack: 7 }), 'StringExpected')
  const v = classifier.classify('死にたい')
  const post = { text: '死にたい' }
  await rejectsWithCode(() => inochi.supportReferral({ ...v, primary: 'sad' }, post), 'InvalidArg')
  await rejectsWithCode(() => inochi.supportReferral({ primary: 'ideation' }, post), 'InvalidArg')
  await rejectsWithCode(() => inochi.takedownRequest(v, post, { organisation: 'x', kind: 'alien', contact: 'y' }), 'InvalidArg')
  // …and the process is still here.
  assert.equal(classifier.classify('死にたい').primary, 'ideation')
})

test('index.d.ts declares every export', () => {
  const dts = readFileSync(join(PACKAGE_UNDER_TEST, 'index.d.ts'), 'utf8')
  const declared = [...dts.matchAll(/^export declare (?:class|function|const) (\w+)/gm)].map((m) => m[1]).sort()
  const types = new Set([...dts.matchAll(/^export type (\w+) =/gm)].map((m) => m[1]))
  for (const name of declared) assert.ok(name in inochi, `${name} is declared but not exported`)
  for (const name of Object.keys(inochi)) {
    // String enums are declared as unions of their values; at run time napi-rs also exports
    // them as objects (Category.Inducement === 'inducement').
    assert.ok(declared.includes(name) || types.has(name), `${name} is exported but not declared`)
  }
  for (const name of ['Classifier', 'takedownRequest', 'emergencyReport', 'supportReferral']) {
    assert.ok(declared.includes(name), name)
  }
  assert.match(dts, /classifyBatch\(texts: Array<string>\): Promise<Verdict\[\]>/)
  assert.match(dts, /export type Category = 'announcement' \| 'inducement' \| 'method' \| 'incitement' \| 'ideation' \| 'none'/)
})
