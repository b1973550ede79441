import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { DEFAULT_SEARCH_SPACE, sampleGenome } from "../search_space/mod.ts";
import type { CandidateTask } from "./evaluate_candidate.ts";
import { candidateJobOf, parseCandidateJob, thresholdOf } from "./queue_jobs.ts";
import type { EvalSettings } from "./settings.ts";

const settings: EvalSettings = {
  dataset: "sst2",
  heldOut: { size: 1000, seed: 13, sentences: { minWords: 8 } },
  proxy: { size: 4000, seed: 1 },
  validation: { size: 1000, seed: 2 },
  attack: {
    recipe: "textfooler",
    examples: 50,
    queryBudget: 200,
    racing: { step: 50, cap: 100, topK: 3 },
  },
  fitness: { name: "rosearch", options: { wAcc: 1 } },
  train: {
    epochs: 1,
    batchSize: 32,
    maxLength: 64,
    learningRate: 2e-3,
    objective: { kl: { weight: 0.5, temperature: 2 }, ce: { weight: 0.5 } },
  },
  latency: { batchSize: 32, seqLen: 48, repeats: 5, warmup: 1 },
};
const cache = (key: string) => ({ key, root: "/x/.cache", keyParts: {} as never });
const task = (threshold?: number): CandidateTask => ({
  genome: sampleGenome({ ...DEFAULT_SEARCH_SPACE, compression: undefined }, Prng.fromSeed(3)),
  threshold,
  seed: 42,
  settings,
  teacher: { dir: "/abs/data/teachers/t/classifier", params: 11e6, latencyMs: 30 },
  caches: { proxy: cache("p1"), validation: cache("v1") },
});
const jobOf = (t: CandidateTask) =>
  candidateJobOf(t, {
    runId: "r1",
    teacherPath: "data/teachers/t/classifier",
    teacherSha256: "a".repeat(64),
  });

Deno.test("queue jobs: a job survives JSON (infinite thresholds too) and parses back", () => {
  for (const th of [undefined, 0.42, -Infinity, Infinity]) {
    const job = parseCandidateJob(JSON.parse(JSON.stringify(jobOf(task(th)))), "j");
    assert.equal(thresholdOf(job), th);
    assert.deepEqual(job.settings, settings);
    assert.equal(job.teacher.path, "data/teachers/t/classifier");
    assert.deepEqual(job.cacheKeys, { proxy: "p1", validation: "v1" });
  }
});

Deno.test("queue jobs: the robust-KD mode travels with the job (a worker never drops it)", () => {
  const t = task();
  const robust = {
    ...t,
    settings: { ...settings, train: { ...settings.train, kd: "mate" as const } },
  };
  const job = parseCandidateJob(JSON.parse(JSON.stringify(jobOf(robust))), "j");
  assert.equal(job.settings.train.kd, "mate");
  const bad = JSON.parse(JSON.stringify(jobOf(robust)));
  bad.settings.train.kd = "freelb";
  assert.throws(() => parseCandidateJob(bad, "j9"), /settings\.train\.kd/);
});

Deno.test("queue jobs: malformed or foreign payloads are refused, naming the field", () => {
  const good = JSON.parse(JSON.stringify(jobOf(task(0.1))));
  const bad = (patch: (j: Record<string, unknown>) => void) => {
    const j = structuredClone(good);
    patch(j);
    return () => parseCandidateJob(j, "j7");
  };
  assert.throws(bad((j) => j.version = 2), /job j7 is not a rosearch\.candidate v1 job: version/);
  assert.throws(bad((j) => j.kind = "other"), /kind/);
  assert.throws(
    bad((j) => (j.teacher as { path: string }).path = "../../etc"),
    /teacher\.path: must be a path inside the repository/,
  );
  assert.throws(
    bad((j) => (j.teacher as { path: string }).path = "/etc/passwd"),
    /teacher\.path/,
  );
  assert.throws(
    bad((j) => (j.settings as { proxy: { size: unknown } }).proxy.size = "4000"),
    /settings\.proxy\.size: Expected number/,
  );
  assert.throws(bad((j) => j.genome = { cells: "x" }), /job j7: genome: Invalid genome/);
  assert.throws(() => parseCandidateJob("rm -rf /", "j8"), /job j8 is not/);
});
