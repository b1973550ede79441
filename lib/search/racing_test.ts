import assert from "node:assert/strict";
import { fitnessInterval, raceCandidate, topKThreshold } from "./racing.ts";

const racing = { initial: 50, step: 50, cap: 300, topK: 3 };
/** A fake attack whose examples stay correct with probability `p` (deterministic pattern). */
const fakeAttack = (p: number) => (from: number, to: number) =>
  Promise.resolve(
    Array.from({ length: to - from }, (_, i) => ((from + i) * 0.618) % 1 < p),
  );
const fitnessAt = (acc: number) => (rob: number) => acc + rob;

Deno.test(
  "racing: a candidate that cannot reach " +
    "the top-k stops after its first step",
  async () => {
    // the top 3 already have fitness lower bounds 1.20, 1.15, 1.10; this one: acc 0.7, rob ~0.2
    const r = await raceCandidate({
      racing,
      available: 1000,
      attack: fakeAttack(0.2),
      fitnessAt: fitnessAt(0.7),
      threshold: () => topKThreshold([1.2, 1.15, 1.1, 0.9], 3),
    });
    assert.equal(r.outcomes.length, 50);
    assert.equal(r.steps.length, 1);
    assert.equal(r.stopped, "cannot reach the top-k");
    assert.ok(r.steps[0].fitness.upper < 1.1);
  },
);

Deno.test("racing: a close candidate is extended step by step up to the cap", async () => {
  const calls: [number, number][] = [];
  const r = await raceCandidate({
    racing,
    available: 1000,
    attack: (from, to) => (calls.push([from, to]), fakeAttack(0.4)(from, to)),
    fitnessAt: fitnessAt(0.75),
    threshold: () => topKThreshold([1.16, 1.15, 1.14], 3),
  });
  assert.deepEqual(calls.map((c) => c[1]), [50, 100, 150, 200, 250, 300]);
  assert.equal(calls[1][0], 50, "each example attacked once, in list order");
  assert.equal(r.stopped, "cap");
  assert.equal(r.outcomes.length, 300);
  // intervals narrow as the prefix grows
  const widths = r.steps.map((s) => s.fitness.upper - s.fitness.lower);
  assert.ok(widths.every((w, i) => i === 0 || w < widths[i - 1]));
});

Deno.test("racing: fewer than k told means every candidate can reach the top-k", async () => {
  assert.equal(topKThreshold([1.0, 0.9], 3), -Infinity);
  const r = await raceCandidate({
    racing: { ...racing, cap: 120 },
    available: 110,
    attack: fakeAttack(0.1),
    fitnessAt: fitnessAt(0.5),
    threshold: () => topKThreshold([], 3),
  });
  assert.equal(r.outcomes.length, 110);
  assert.equal(r.stopped, "no more examples");
  const f = fitnessInterval(0, 10, (x) => -x);
  assert.ok(f.lower <= f.estimate && f.estimate <= f.upper, "a decreasing fitness is handled");
  assert.throws(() => topKThreshold([1], 0), /positive integer/);
});
