import assert from "node:assert/strict";
import { createEvolution, restoreEvolution } from "../../lib/search/mod.ts";
import { createSearchSpace, type Genome, genomeHash } from "../../lib/search_space/genome.ts";
import { type CandidateRecord, runSearchLoop, type SearchRun } from "./search_loop.ts";

/** An in-memory run record with lib/track's key rule. */
function memoryRun(records: Record<string, unknown>[] = []) {
  const artifacts = new Map<string, string>();
  const run: SearchRun & { records: Record<string, unknown>[]; artifacts: Map<string, string> } = {
    records,
    artifacts,
    appendRecord(r) {
      if (records.some((x) => x.key === r.key)) throw new RangeError(`duplicate key ${r.key}`);
      records.push(structuredClone(r));
    },
    completedKeys: () => new Set(records.map((r) => r.key as string)),
    logMetric() {},
    writeArtifact(name, data) {
      artifacts.set(name, JSON.stringify(data));
      return name;
    },
  };
  return run;
}

const space = createSearchSpace({ maxCells: 3 });
const fakeMetrics = (g: Genome) => ({
  cleanAccuracy: 0.5 + 0.01 * g.cells.length,
  robustness: g.hiddenSize / 1000,
  architectureStats: { numCells: g.cells.length },
});
const fitness = (m: Record<string, unknown>) => ({
  name: "rosearch" as const,
  fitness: (m.cleanAccuracy as number) + (m.robustness as number),
  terms: {},
  options: {},
});

Deno.test("search loop: budget evaluations, each recorded once, concurrency respected", async () => {
  const run = memoryRun();
  let inFlight = 0, maxInFlight = 0, calls = 0;
  const evo = createEvolution({ space, budget: 10, populationSize: 4, seed: 3 });
  const out = await runSearchLoop({
    evolution: evo,
    run,
    concurrency: 3,
    evaluate: async (g) => {
      inFlight++;
      const call = ++calls;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1 + (g.hiddenSize % 7)));
      inFlight--;
      if (call === 3) throw new Error("boom");
      return fakeMetrics(g);
    },
    fitness,
  });
  assert.equal(out.evaluated, 10);
  assert.equal(out.failed, 1);
  assert.equal(maxInFlight, 3);
  const keys = run.records.map((r) => r.key);
  assert.equal(new Set(keys).size, 10);
  assert.equal(out.state.counters.told, 10);
  for (const r of run.records as unknown as CandidateRecord[]) {
    assert.equal(r.hash, genomeHash(r.genome));
    if (r.status === "failed") {
      assert.equal(r.fitness, null);
      assert.equal(r.error, "boom");
    } else assert.deepEqual(r.architectureStats, { numCells: r.genome.cells.length });
  }
  assert.ok(run.artifacts.has("evolution_state.json"));
});

Deno.test("search loop resume: a pending ask with a record is told, not evaluated again", async () => {
  // Simulate a kill after the record of one in-flight candidate was appended but before its
  // tell was saved: state on disk has 2 pending asks, records hold the first of them.
  const evo = createEvolution({ space, budget: 6, populationSize: 3, seed: 11 });
  const a = evo.ask()!, b = evo.ask()!;
  const saved = JSON.parse(JSON.stringify(evo.state()));
  const run = memoryRun();
  const recA: CandidateRecord = {
    key: genomeHash(a),
    kind: "candidate",
    status: "ok",
    id: 0,
    hash: genomeHash(a),
    origin: "random",
    parents: [],
    genome: a,
    fitness: 0.9,
    fitnessTerms: {},
    metrics: fakeMetrics(a),
    architectureStats: null,
    evaluation: 1,
    time: new Date().toISOString(),
  };
  run.appendRecord(recA as unknown as Record<string, unknown>);
  const evaluated: string[] = [];
  const out = await runSearchLoop({
    evolution: restoreEvolution(saved),
    run,
    concurrency: 2,
    previous: [recA],
    evaluate: (g) => {
      evaluated.push(genomeHash(g));
      return Promise.resolve(fakeMetrics(g));
    },
    fitness,
  });
  assert.equal(out.recovered, 1);
  assert.ok(!evaluated.includes(genomeHash(a)));
  assert.ok(evaluated.includes(genomeHash(b)), "the other pending ask is evaluated again");
  assert.equal(run.records.length, 6);
  assert.equal(new Set(run.records.map((r) => r.key)).size, 6);
  assert.equal(out.state.counters.told, 6);
  // told from the record with its recorded fitness
  assert.equal(out.state.history.find((i) => i.hash === genomeHash(a))!.fitness, 0.9);
});
