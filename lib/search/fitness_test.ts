import assert from "node:assert/strict";
import { computeFitness, FITNESS } from "./fitness.ts";

const m = {
  cleanAccuracy: 0.85,
  robustness: 0.4,
  params: 2e6,
  teacherParams: 11e6,
  latencyMs: 20,
  teacherLatencyMs: 80,
};

Deno.test("rosearch: accuracy + robustness, no penalty above the target ratio", () => {
  const r = computeFitness("rosearch", m);
  assert.ok(Math.abs(r.fitness - 1.25) < 1e-12);
  assert.equal(r.terms.sizePenalty, 0);
  assert.equal(r.options.targetRatio, 5);
  assert.equal(r.options.wRob, 1);
});

Deno.test("rosearch: compression shortfall and latency budget penalties", () => {
  const big = { ...m, params: 4.4e6 }; // ratio 2.5, target 5 -> shortfall 0.5
  const r = computeFitness("rosearch", big, { lambda: 2 });
  assert.ok(Math.abs(r.terms.sizePenalty - 1) < 1e-12);
  assert.ok(Math.abs(r.fitness - 0.25) < 1e-12);
  const lat = computeFitness("rosearch", m, { latencyBudgetMs: 10, mu: 0.5 }); // 100% over budget
  assert.ok(Math.abs(lat.terms.latencyPenalty - 0.5) < 1e-12);
  const w = computeFitness("rosearch", m, { wAcc: 0, wRob: 2 });
  assert.ok(Math.abs(w.fitness - 0.8) < 1e-12);
  assert.throws(() => computeFitness("rosearch", { cleanAccuracy: 0.9 }), /metrics\.robustness/);
  assert.throws(() => computeFitness("rosearch", { ...m, robustness: NaN }), /robustness/);
});

Deno.test("accuracy_only and kdnas_reward", () => {
  assert.equal(computeFitness("accuracy_only", m).fitness, 0.85);
  const r = computeFitness("kdnas_reward", m);
  assert.ok(Math.abs(r.fitness - 0.85 * Math.pow(0.25, -0.07)) < 1e-12);
  // faster student -> higher reward at equal quality
  assert.ok(computeFitness("kdnas_reward", { ...m, latencyMs: 10 }).fitness > r.fitness);
  assert.throws(() => computeFitness("kdnas_reward", m, { alpha: 0.1 }), /alpha must be < 0/);
  // by hand: 0.8 x (20 / (1 x 80)) ^ -0.07 = 0.8 x 4^0.07 = 0.8 x 1.10190...; with gamma 0.5 and
  // robustness 0.2: quality 0.5, latency 20 vs beta 2 x 80: 0.5 x (1/8)^-0.2 = 0.5 x 1.5157...
  const byHand = { cleanAccuracy: 0.8, latencyMs: 20, teacherLatencyMs: 80, robustness: 0.2 };
  const k1 = computeFitness("kdnas_reward", byHand);
  assert.ok(Math.abs(k1.fitness - 0.8 * Math.pow(4, 0.07)) < 1e-12);
  assert.ok(Math.abs(k1.fitness - 0.881524) < 1e-6, `${k1.fitness}`);
  const k2 = computeFitness("kdnas_reward", byHand, { gamma: 0.5, beta: 2, alpha: -0.2 });
  assert.ok(Math.abs(k2.fitness - 0.5 * Math.pow(8, 0.2)) < 1e-12);
  assert.equal(k2.terms.quality, 0.5);
  assert.throws(() => computeFitness("kdnas_reward", m, { gamma: 2 }), /gamma must be in \[0, 1\]/);
  assert.throws(() => computeFitness("kdnas_reward", { cleanAccuracy: 0.8 }), /latencyMs/);
});

Deno.test("unknown names and options list the valid ones", () => {
  assert.throws(() => computeFitness("nope", m), /valid: rosearch, accuracy_only, kdnas_reward/);
  assert.throws(
    () => computeFitness("rosearch", m, { gamma: 1 }),
    /unknown option "gamma"; valid: wAcc/,
  );
  assert.deepEqual(Object.keys(FITNESS), ["rosearch", "accuracy_only", "kdnas_reward"]);
});
