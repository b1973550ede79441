import assert from "node:assert/strict";
import { ADABERT_OPS, deriveArchitecture, derivedGenome } from "../search_space/mod.ts";
import type { AdaBertRetrainResult, AdaBertSearchTaskResult } from "./adabert.ts";
import { adabertReport } from "./adabert_report.ts";

const alpha = Array.from({ length: 9 }, (_, e) => ADABERT_OPS.map((_, o) => (e === o ? 1 : 0)));
const search = (dataset: string): AdaBertSearchTaskResult => {
  const derived = deriveArchitecture(alpha, [0, 1]);
  return {
    dataset,
    steps: 4,
    seconds: 60,
    msPerStep: 100,
    resumedFrom: 0,
    alpha,
    beta: [0, 1],
    derived,
    genome: derivedGenome(derived, { embeddingSize: 8, hiddenSize: 8 }),
    trajectory: [{
      step: 4,
      temperature: 0.2,
      loss: 1,
      ce: 1,
      kd: 1,
      efficiency: 0.5,
      opProbs: alpha.map((r) => r.map(() => 0.1)),
      depthProbs: [0.5, 0.5],
    }],
    supernetParams: 1000,
    trainExamples: 10,
    archExamples: 5,
    probes: { trainAccuracy: [1], heldOutAccuracy: [1], seconds: 1 },
  };
};
const retrain = (dataset: string, from: string, test: string): AdaBertRetrainResult => ({
  dataset,
  from,
  params: 1_000_000,
  teacherParams: 11_000_000,
  steps: 3,
  seconds: 1,
  archAccuracy: 0.5,
  correct: { dev: test, test },
  teacherCorrect: { dev: "1111111111", test: "1111111111" },
  ...(dataset === from
    ? { latencyMs: { student: { b1: 1, b32: 10 }, teacher: { b1: 12, b32: 200 } } }
    : {}),
});

Deno.test("adabert report: own-architecture tests, ties, speed-up and compression", () => {
  const r = adabertReport({
    tasks: ["trec", "subj"],
    searches: [search("trec"), search("subj")],
    retrains: [
      retrain("trec", "trec", "1111111100"),
      retrain("trec", "subj", "1111000000"),
      retrain("subj", "subj", "1110000000"),
      retrain("subj", "trec", "1110000000"),
    ],
  });
  const t = r.tests.find((x) => x.task === "trec")!;
  assert.deepEqual([t.other, t.b, t.c, t.difference], ["subj", 4, 0, 40]);
  assert.ok(r.tests.every((x) => x.pHolm >= x.pValue));
  assert.match(
    r.markdown,
    /\| trec \| test \| 10 \| 80\.0 \[.*\| 1\.00M \| 11\.0x \| 12\.0x \/ 20\.0x \|/,
  );
  assert.match(r.markdown, /trec: its own architecture is the most accurate; no difference/);
  assert.match(r.markdown, /subj: its own architecture is the most accurate \(tied with trec's\)/);
  assert.deepEqual(Object.keys(r.charts).sort(), [
    "architecture_subj.svg",
    "architecture_trec.svg",
    "trajectory_depth_subj.svg",
    "trajectory_depth_trec.svg",
    "trajectory_ops_subj.svg",
    "trajectory_ops_trec.svg",
  ]);
});
