// classifyBatch runs off the event loop: a timer keeps firing while a large batch is classified.
import assert from 'node:assert/strict'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'

import { corpus, inochi } from './helpers.mjs'

const classifier = new inochi.Classifier()
const texts = corpus().rows.map((r) => r.text)

// The bound on any single stall of the event loop while a batch runs. A blocked loop stalls for
// the whole batch (over a second here); an unblocked one only for scheduling noise on a busy
// machine, garbage collection, and the few milliseconds of each slice of result conversion.
const MAX_STALL_MS = 250
// The batch must take at least this long, or the measurement says nothing.
const MIN_BATCH_MS = 1000

/** Runs `work` while a 10 ms interval timer and monitorEventLoopDelay watch the event loop. */
async function watch(work) {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  let last = performance.now()
  let maxGap = 0
  let ticks = 0
  const timer = setInterval(() => {
    const now = performance.now()
    maxGap = Math.max(maxGap, now - last)
    last = now
    ticks++
  }, 10)
  histogram.enable()
  const start = performance.now()
  const result = await work()
  const ms = performance.now() - start
  // One more turn, so that a stall at the very end (the hand-over of the results) is seen too.
  await sleep(30)
  clearInterval(timer)
  histogram.disable()
  return { result, ms, ticks, maxGap, maxDelay: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6 }
}

/** A batch of distinct posts that takes about `ms` to classify on this machine. */
function batchOf(ms) {
  const sample = texts.slice(0, 1000)
  const t0 = performance.now()
  for (const t of sample) classifier.classify(t)
  const perPost = (performance.now() - t0) / sample.length
  // classifyBatch uses every core; aim for `ms` of single-core work times two, bounded.
  const n = Math.min(200_000, Math.max(5000, Math.ceil((2 * ms) / perPost)))
  return Array.from({ length: n }, (_, i) => `${texts[i % texts.length]} ${i}`)
}

test('the measurement sees a blocked event loop', async () => {
  const sample = texts.slice(0, 1000)
  const { maxGap, ms } = await watch(async () => {
    // Synchronous classification blocks the loop for as long as it runs.
    const t0 = performance.now()
    while (performance.now() - t0 < 300) for (const t of sample.slice(0, 100)) classifier.classify(t)
  })
  assert.ok(maxGap >= 280, `a 300 ms synchronous run showed a stall of only ${maxGap.toFixed(1)} ms (${ms.toFixed(0)} ms)`)
})

test('classifyBatch does not block a concurrent timer', async (t) => {
  const batch = batchOf(MIN_BATCH_MS)
  const w = await watch(() => classifier.classifyBatch(batch))
  const report = `${batch.length} posts in ${w.ms.toFixed(0)} ms; ${w.ticks} ticks of a 10 ms timer; ` +
    `longest stall ${w.maxGap.toFixed(1)} ms; event-loop delay max ${w.maxDelay.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms`
  t.diagnostic(report)
  assert.equal(w.result.length, batch.length)
  assert.ok(w.ms >= MIN_BATCH_MS * 0.5, `the batch was too quick to tell: ${report}`)
  assert.ok(w.maxGap < MAX_STALL_MS, `the event loop stalled: ${report}`)
  assert.ok(w.maxDelay < MAX_STALL_MS, `the event loop stalled: ${report}`)
  // The timer kept running through the whole batch (at least a third of its ideal rate).
  assert.ok(w.ticks >= w.ms / 10 / 3, `the timer fired too rarely: ${report}`)
  // Spot-check the hand-over: order kept, verdicts complete.
  for (const i of [0, 1, Math.floor(batch.length / 2), batch.length - 1]) {
    assert.deepEqual(w.result[i], classifier.classify(batch[i]))
  }
})

test('classifyBatchJson does not block a concurrent timer either', async (t) => {
  const batch = batchOf(MIN_BATCH_MS / 2)
  const w = await watch(() => classifier.classifyBatchJson(batch))
  const report = `${batch.length} posts in ${w.ms.toFixed(0)} ms; longest stall ${w.maxGap.toFixed(1)} ms`
  t.diagnostic(report)
  assert.equal(w.result.length, batch.length)
  assert.ok(w.maxGap < MAX_STALL_MS, `the event loop stalled: ${report}`)
  assert.equal(w.result[batch.length - 1], classifier.classifyJson(batch[batch.length - 1]))
})

test('concurrent batches all complete, in order', async () => {
  const batches = [0, 1, 2, 3, 4, 5].map((k) => texts.slice(k * 100, k * 100 + 300))
  const results = await Promise.all(batches.map((b) => classifier.classifyBatch(b)))
  results.forEach((r, k) => {
    assert.equal(r.length, batches[k].length)
    r.forEach((v, i) => assert.equal(v.primary, classifier.classify(batches[k][i]).primary))
  })
})
