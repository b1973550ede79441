import assert from "node:assert/strict";
import { l2aReport } from "./l2a_report.ts";
import type { L2aStudentResult, L2aTeacherResult } from "./l2a.ts";

const n = 40;
const bitsOf = (k: number) => Array.from({ length: n }, (_, i) => (i < k ? "1" : "0")).join("");
const student = (method: string, size: number, k: number): L2aStudentResult => ({
  method: method as L2aStudentResult["method"],
  size,
  params: 100,
  steps: 10,
  seconds: 1,
  msPerStep: 1,
  test: bitsOf(k),
  dev: { devLogLik: -0.6, devAccuracy: 0.6 },
  history: [0, 1].map((round) => ({
    round,
    devLogLik: -0.6,
    devAccuracy: 0.6,
    reward: round ? 0.1 : null,
    advantage: round ? 1 : null,
    mixing: 0.5,
    candidates: 8,
    kept: 4,
    used: 4,
    usedTarget: 0.5,
    usedRewritten: 1,
    meanKeepProbability: 0.5,
  })),
  selector: method === "l2a" ? { weights: [0, 0, 0, 0, 0, 0, 0], bias: 0 } : null,
  lastUsed: [],
});
const teacher = (size: number): L2aTeacherResult => ({
  size,
  zeroShotDev: 0.7,
  adaptedDev: 0.75,
  chosen: "adapted",
  bestStep: 5,
  evaluations: [],
  zeroShotTest: bitsOf(30),
  adaptedTest: bitsOf(32),
  unseen: "10".repeat(n / 2),
  seconds: 1,
});

Deno.test("l2aReport: intervals, paired tests against every row, claims, charts", () => {
  const r = l2aReport({
    sizes: [100, 500],
    methods: ["target-only", "eda", "l2a"],
    students: [
      student("target-only", 100, 10),
      student("eda", 100, 20),
      student("l2a", 100, 36),
      student("target-only", 500, 30),
      student("eda", 500, 31),
      student("l2a", 500, 32),
    ],
    teachers: [teacher(100), teacher(500)],
    pools: [{ pool: "source", counts: { original: 2 }, examples: [], seconds: 1, stats: {} }],
  });
  assert.equal(r.rows.length, 10);
  assert.equal(r.rows.find((x) => x.size === 100 && x.name === "l2a")!.unseen.n, 20);
  const t = r.tests.find((x) => x.size === 100 && x.against === "target-only")!;
  assert.equal(t.difference, 65);
  assert.equal(t.b, 26);
  assert.equal(t.c, 0);
  assert.ok(t.pHolm < 0.001);
  const close = r.tests.find((x) => x.size === 500 && x.against === "eda")!;
  assert.ok(close.pHolm > 0.5);
  assert.match(r.markdown, /100 examples: L2A minus the best baseline \(eda\) 40\.0 points/);
  assert.match(r.markdown, /shrinks as data grows/);
  assert.match(r.markdown, /no significant difference/);
  for (const c of ["data_size_curve", "selector_reward", "dev_accuracy"]) {
    assert.match(r.charts[c], /^<svg/);
  }
  assert.throws(
    () => l2aReport({ sizes: [1000], methods: ["l2a"], students: [], teachers: [], pools: [] }),
    /no teacher record/,
  );
});
