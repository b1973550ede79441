import assert from "node:assert/strict";
import { createEvolution, restoreEvolution } from "./evolution.ts";
import { createSearchSpace, type Genome, genomeHash } from "../search_space/mod.ts";
import { type CandidateRecord, runSearchLoop, type SearchRun } from "./loop.ts";
import type { Ask } from "./strategy.ts";

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

Deno.test(
  "search loop: budget evaluations, each " +
    "recorded once, concurrency respected",
  async () => {
    const run = memoryRun();
    let inFlight = 0, maxInFlight = 0, calls = 0;
    const evo = createEvolution({ space, budget: 10, populationSize: 4, seed: 3 });
    const out = await runSearchLoop({
      strategy: evo,
      run,
      engine: {
        concurrency: 3,
        evaluate: async ({ genome: g }: Ask) => {
          inFlight++;
          const call = ++calls;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 1 + (g.hiddenSize % 7)));
          inFlight--;
          if (call === 3) throw new Error("boom");
          return fakeMetrics(g);
        },
      },
      fitness,
    });
    assert.equal(out.evaluated, 10);
    assert.equal(out.failed, 1);
    assert.equal(maxInFlight, 3);
    const keys = run.records.map((r) => r.key);
    assert.equal(new Set(keys).size, 10);
    assert.equal(evo.state().counters.told, 10);
    for (const r of run.records as unknown as CandidateRecord[]) {
      assert.equal(r.hash, genomeHash(r.genome));
      if (r.status === "failed") {
        assert.equal(r.fitness, null);
        assert.equal(r.error, "boom");
      } else assert.deepEqual(r.architectureStats, { numCells: r.genome.cells.length });
    }
    assert.ok(run.artifacts.has("evolution_state.json"));
  },
);

Deno.test(
  "search loop resume: a pending ask with " +
    "a record is told, not evaluated again",
  async () => {
    // Simulate a kill after the record of one in-flight candidate was appended but before its
    // tell was saved: state on disk has 2 pending asks, records hold the first of them.
    const evo = createEvolution({ space, budget: 6, populationSize: 3, seed: 11 });
    const a = evo.ask()!.genome, b = evo.ask()!.genome;
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
    const resumed = restoreEvolution(saved);
    const out = await runSearchLoop({
      strategy: resumed,
      run,
      engine: {
        concurrency: 2,
        evaluate: ({ genome: g }: Ask) => {
          evaluated.push(genomeHash(g));
          return Promise.resolve(fakeMetrics(g));
        },
      },
      previous: [recA],
      fitness,
    });
    assert.equal(out.recovered, 1);
    assert.ok(!evaluated.includes(genomeHash(a)));
    assert.ok(evaluated.includes(genomeHash(b)), "the other pending ask is evaluated again");
    assert.equal(run.records.length, 6);
    assert.equal(new Set(run.records.map((r) => r.key)).size, 6);
    assert.equal(resumed.state().counters.told, 6);
    // told from the record with its recorded fitness
    assert.equal(resumed.state().history.find((i) => i.hash === genomeHash(a))!.fitness, 0.9);
  },
);

Deno.test(
  "search loop: the same candidates in the " +
    "same order whatever the evaluation timing",
  async () => {
    const sequence = async (concurrency: number, delaySeed: number) => {
      const run = memoryRun();
      let x = delaySeed;
      const delay = () => (x = (x * 1103515245 + 12345) % 2147483648) % 9;
      await runSearchLoop({
        strategy: createEvolution({ space, budget: 14, populationSize: 4, seed: 5 }),
        run,
        lookahead: 4,
        engine: {
          concurrency,
          evaluate: async ({ genome: g }: Ask) => {
            await new Promise((r) => setTimeout(r, delay()));
            return fakeMetrics(g);
          },
        },
        fitness,
      });
      return (run.records as unknown as CandidateRecord[])
        .sort((a, b) => a.evaluation - b.evaluation)
        .map((r) => `${r.evaluation}:${r.hash}`);
    };
    const a = await sequence(1, 1), b = await sequence(3, 2), c = await sequence(4, 3);
    assert.equal(a.length, 14);
    assert.deepEqual(b, a, "3 workers with other delays: same asks, same order");
    assert.deepEqual(c, a);
  },
);

Deno.test(
  "search loop: a run killed part-way and resumed " +
    "asks what an uninterrupted run asks",
  async () => {
    const make = () => createEvolution({ space, budget: 12, populationSize: 3, seed: 9 });
    const evaluate = ({ genome: g }: Ask) => Promise.resolve(fakeMetrics(g));
    const straight = memoryRun();
    await runSearchLoop({
      strategy: make(),
      run: straight,
      lookahead: 4,
      engine: { concurrency: 2, evaluate },
      fitness,
    });
    // the same run, "killed" after 5 evaluations: records of asks 0,1,3,4,5 exist, 2 never finished
    const killed = memoryRun();
    let n = 0;
    void runSearchLoop({
      strategy: make(),
      run: killed,
      lookahead: 4,
      engine: {
        concurrency: 4,
        evaluate: (ask: Ask) =>
          ask.id === 2 || ++n > 5 ? new Promise<never>(() => {}) : evaluate(ask), // hangs = killed
      },
      fitness,
    }); // never settles: its evaluations hang, as if the process had been killed
    await new Promise((r) => setTimeout(r, 20));
    const saved = JSON.parse(killed.artifacts.get("evolution_state.json")!);
    const resumed = memoryRun(structuredClone(killed.records));
    await runSearchLoop({
      strategy: restoreEvolution(saved),
      run: resumed,
      lookahead: 4,
      engine: { concurrency: 2, evaluate },
      fitness,
      previous: killed.records as unknown as CandidateRecord[],
    });
    const seq = (rs: Record<string, unknown>[]) =>
      (rs as unknown as CandidateRecord[]).sort((a, b) => a.evaluation - b.evaluation)
        .map((r) => `${r.evaluation}:${r.hash}`);
    assert.deepEqual(seq(resumed.records), seq(straight.records));
  },
);

Deno.test("search loop: an aborted loop records nothing that the abort cut short", async () => {
  const run = memoryRun();
  const abort = new AbortController();
  let calls = 0;
  const out = await runSearchLoop({
    strategy: createEvolution({ space, budget: 10, populationSize: 3, seed: 4 }),
    run,
    signal: abort.signal,
    engine: {
      concurrency: 2,
      evaluate: async ({ genome: g }: Ask) => {
        if (++calls === 3) abort.abort(); // the SIGINT arrives during the third evaluation
        await new Promise((r) => setTimeout(r, 5));
        if (abort.signal.aborted) throw new Error("worker pool closed while task 3 was running");
        return fakeMetrics(g);
      },
    },
    fitness,
  });
  assert.equal(out.interrupted, true);
  assert.ok(
    (run.records as unknown as CandidateRecord[]).every((r) => r.status === "ok"),
    "no failed record from the interrupt",
  );
  assert.ok(run.records.length < 3);
});

Deno.test("search loop: a told candidate whose record was lost is evaluated again", async () => {
  const run = memoryRun();
  const evaluate = ({ genome: g }: Ask) => Promise.resolve(fakeMetrics(g));
  const evo = createEvolution({ space, budget: 6, populationSize: 3, seed: 5 });
  await runSearchLoop({ strategy: evo, run, engine: { concurrency: 2, evaluate }, fitness });
  assert.equal(run.records.length, 6);
  // the last line lost (a torn write dropped on resume), the saved state already told it
  const lost = run.records.pop()! as unknown as CandidateRecord;
  const resumed = restoreEvolution(JSON.parse(run.artifacts.get("evolution_state.json")!));
  let calls = 0;
  const out = await runSearchLoop({
    strategy: resumed,
    run,
    previous: run.records as unknown as CandidateRecord[],
    engine: {
      concurrency: 2,
      evaluate: (a: Ask) => {
        calls++;
        return evaluate(a);
      },
    },
    fitness,
  });
  assert.equal(out.reevaluated, 1);
  assert.equal(calls, 1);
  assert.equal(run.records.length, 6);
  const again = run.records.at(-1)! as unknown as CandidateRecord;
  assert.equal(again.hash, lost.hash);
  assert.equal(again.evaluation, lost.evaluation);
  assert.equal(again.fitness, lost.fitness);
  assert.equal(resumed.state().counters.told, 6, "not told a second time");
});
