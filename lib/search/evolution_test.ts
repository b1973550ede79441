import assert from "node:assert/strict";
import {
  architectureStats,
  createSearchSpace,
  DEFAULT_SEARCH_SPACE,
  type Genome,
  genomeErrors,
  genomeHash,
} from "../search_space/mod.ts";
import { createEvolution, type Evolution, restoreEvolution } from "./evolution.ts";

/** Fake evaluator: attention nodes minus a size penalty (milliseconds, no training). */
function fake(g: Genome): number {
  const s = architectureStats(g);
  return s.opCounts.attn_2 + s.opCounts.attn_4 - s.params / 2e6;
}

function run(evo: Evolution, evaluate = fake): number {
  let g: Genome | null;
  while ((g = evo.ask()?.genome ?? null) !== null) evo.tell(g, evaluate(g), { note: "fake" });
  return evo.best()!.fitness;
}

Deno.test("evolution beats random sampling on average (fake evaluator)", () => {
  let evoSum = 0, randSum = 0;
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  for (const seed of seeds) {
    evoSum += run(createEvolution({ space: DEFAULT_SEARCH_SPACE, budget: 80, seed }));
    randSum += run(
      createEvolution({ space: DEFAULT_SEARCH_SPACE, budget: 80, populationSize: 80, seed }),
    );
  }
  const evo = evoSum / seeds.length, rand = randSum / seeds.length;
  assert.ok(evo > rand + 1, `evolution ${evo.toFixed(2)} vs random ${rand.toFixed(2)}`);
});

Deno.test("ask: first populationSize are random, then mutations; budget ends the run", () => {
  const evo = createEvolution({
    space: DEFAULT_SEARCH_SPACE,
    budget: 20,
    populationSize: 5,
    seed: 3,
  });
  run(evo);
  const h = evo.history();
  assert.equal(h.length, 20);
  assert.deepEqual(h.slice(0, 5).map((i) => i.origin), Array(5).fill("random"));
  assert.ok(h.slice(5).every((i) => i.origin === "mutation" && i.parents.length === 1));
  assert.equal(evo.ask(), null);
  assert.ok(evo.done());
  assert.equal(evo.population().length, 5);
  // aging: the population is the 5 most recently told
  assert.deepEqual(evo.population().map((i) => i.id), h.slice(-5).map((i) => i.id));
  for (const i of h) assert.deepEqual(genomeErrors(i.genome), []);
  assert.equal(evo.best()!.fitness, Math.max(...h.map((i) => i.fitness)));
});

Deno.test("state round trip mid-run (through JSON) continues identically", () => {
  const opts = {
    space: createSearchSpace({ teacherParams: 11_171_074 }),
    budget: 40,
    seed: 11,
    mutationOnly: false,
    crossoverRate: 0.3,
  };
  const straight = createEvolution(opts);
  const asks1: string[] = [];
  let g: Genome | null;
  while ((g = straight.ask()?.genome ?? null) !== null) {
    asks1.push(genomeHash(g));
    straight.tell(g, fake(g));
  }
  const first = createEvolution(opts);
  const asks2: string[] = [];
  for (let i = 0; i < 17; i++) {
    const a = first.ask()!.genome;
    asks2.push(genomeHash(a));
    first.tell(a, fake(a));
  }
  // one ask outstanding at the interruption
  const open = first.ask()!.genome;
  asks2.push(genomeHash(open));
  const saved = JSON.parse(JSON.stringify(first.state()));
  const resumed = restoreEvolution(saved);
  assert.deepEqual(resumed.pending().map((p) => p.hash), [genomeHash(open)]);
  resumed.tell(open, fake(open));
  while ((g = resumed.ask()?.genome ?? null) !== null) {
    asks2.push(genomeHash(g));
    resumed.tell(g, fake(g));
  }
  assert.deepEqual(asks2, asks1);
  assert.deepEqual(resumed.state().history, straight.state().history);
  assert.ok(straight.history().some((i) => i.origin === "crossover"));
});

Deno.test("duplicates are never evaluated twice; retell policy", () => {
  // a tiny space so duplicates are frequent
  const tiny = {
    ...DEFAULT_SEARCH_SPACE,
    embeddingSizes: [64],
    hiddenSizes: [64],
    minCells: 1,
    maxCells: 1,
    minNodes: 1,
    maxNodes: 1,
    ops: ["attn_2", "ffn_1", "conv_3", "maxpool_3"] as Genome["cells"][0]["nodes"][0]["op"][],
  };
  for (const duplicatePolicy of ["skip", "retell"] as const) {
    const evo = createEvolution({
      space: tiny,
      budget: 50,
      populationSize: 2,
      seed: 1,
      duplicatePolicy,
    });
    const evaluated: string[] = [];
    run(evo, (g) => {
      evaluated.push(genomeHash(g));
      return fake(g);
    });
    assert.equal(new Set(evaluated).size, evaluated.length);
    assert.equal(evaluated.length, 4); // the space has 4 distinct genomes
    const st = evo.state();
    assert.ok(st.exhausted);
    assert.ok(st.counters.duplicatesSkipped > 0);
    if (duplicatePolicy === "retell") assert.ok(st.counters.retold > 0 && st.history.length > 4);
    else assert.equal(st.history.length, 4);
    assert.ok(evo.done());
  }
});

Deno.test("several outstanding asks (worker pool), told out of order", () => {
  const evo = createEvolution({
    space: DEFAULT_SEARCH_SPACE,
    budget: 30,
    populationSize: 4,
    seed: 5,
  });
  const inFlight: Genome[] = [];
  let told = 0;
  while (!evo.done()) {
    while (inFlight.length < 3) {
      const g = evo.ask()?.genome ?? null;
      if (g === null) break;
      inFlight.push(g);
    }
    const hashes = inFlight.map(genomeHash);
    assert.equal(new Set(hashes).size, hashes.length);
    const g = inFlight.splice(inFlight.length - 1, 1)[0]; // newest first
    evo.tell(g, fake(g));
    told++;
  }
  assert.equal(told, 30);
  assert.equal(new Set(evo.history().map((i) => i.hash)).size, 30);
});

Deno.test("tell errors: unknown genome, told twice, NaN; -Infinity survives JSON", () => {
  const evo = createEvolution({ space: DEFAULT_SEARCH_SPACE, budget: 3, seed: 2 });
  const a = evo.ask()!.genome;
  assert.throws(() => evo.tell(a, NaN), /fitness must be a number/);
  evo.tell(a, -Infinity, { error: "diverged" });
  assert.throws(() => evo.tell(a, 1), /already told/);
  const other = createEvolution({ space: DEFAULT_SEARCH_SPACE, budget: 3, seed: 99 }).ask()!.genome;
  assert.throws(() => evo.tell(other, 1), /was not asked/);
  const back = restoreEvolution(JSON.parse(JSON.stringify(evo.state())));
  assert.equal(back.history()[0].fitness, -Infinity);
  assert.equal(back.lookup(a)!.metrics.error, "diverged");
  assert.throws(() => restoreEvolution({ version: 2 }), /restoreEvolution: invalid state: version/);
  assert.throws(
    () => createEvolution({ space: DEFAULT_SEARCH_SPACE, budget: -1 }),
    /budget must be an integer >= 0/,
  );
});
