import assert from "node:assert/strict";
import { type KdNasArch, kdnasChoiceIndices } from "../search_space/mod.ts";
import { createKdNas, type KdNas, kdnasEpsilon, kdnasQuality, restoreKdNas } from "./kdnas.ts";

/** A synthetic reward over the architecture (deeper and wider is better, ReLU a bit worse). */
const reward = (a: KdNasArch) =>
  0.5 + 0.04 * a.layers + 0.0008 * a.hidden + 0.01 * a.intermediate -
  (a.activation === "relu" ? 0.03 : 0) + (a.heads === 4 ? 0.01 : 0);

/** Asks and tells in order (one at a time) until the strategy is done. */
function drive(s: KdNas, stopAfter = Infinity): number {
  let n = 0;
  for (;;) {
    if (n >= stopAfter) return n;
    const ask = s.ask();
    if (ask === null) return n;
    s.tell(ask.genome, reward(s.archOf(ask.hash)!));
    n++;
  }
}

Deno.test("KD-NAS: epsilon falls per episode to its floor", () => {
  const eps = { start: 1, decay: 0.1, min: 0.05 };
  assert.deepEqual(
    [0, 1, 5, 9, 10, 20].map((e) => +kdnasEpsilon(e, eps).toFixed(10)),
    [1, 0.9, 0.5, 0.1, 0.05, 0.05],
  );
});

Deno.test("KD-NAS: episodes of distinct candidates; the controller learns the reward", () => {
  const s = createKdNas({ episodes: 6, perEpisode: 8, poolSize: 60, iterations: 200, seed: 3 });
  assert.equal(drive(s), 48);
  const st = s.state();
  assert.equal(new Set(st.history.map((c) => c.hash)).size, 48, "no candidate twice");
  assert.deepEqual([...new Set(st.history.map((c) => c.episode))], [0, 1, 2, 3, 4, 5]);
  assert.ok(st.history.filter((c) => c.episode === 0).every((c) => c.origin === "random"));
  const picks = st.history.filter((c) => c.origin === "controller");
  const randoms = st.history.filter((c) => c.origin === "random" && c.episode > 0);
  assert.ok(picks.length >= 8, `${picks.length} controller picks`);
  const mean = (xs: { reward?: number }[]) => xs.reduce((a, c) => a + c.reward!, 0) / xs.length;
  assert.ok(mean(picks) > mean(randoms), `controller ${mean(picks)} vs random ${mean(randoms)}`);
  const q = kdnasQuality(st);
  assert.equal(q.length, 6);
  assert.equal(q[0].spearman.lstm, null, "episode 0 is picked before any training");
  assert.ok(q.at(-1)!.globalBest >= q[0].best);
  const late = q.slice(2).map((x) => x.spearman.lstm!).filter((x) => x !== null);
  assert.ok(late.reduce((a, b) => a + b, 0) / late.length > 0.3, `held-out rho ${late}`);
  // every fit lowered the reward model's training loss
  for (const f of st.fits) assert.ok(f.last < f.first, JSON.stringify(f));
  assert.equal(s.ask(), null, "budget used up");
});

Deno.test("KD-NAS: the next episode waits for every tell; a restored state asks the same", () => {
  const a = createKdNas({ episodes: 3, perEpisode: 4, poolSize: 30, iterations: 50, seed: 9 });
  const asks = [a.ask()!, a.ask()!, a.ask()!, a.ask()!];
  assert.equal(a.ask(), null, "episode 0 not told yet");
  for (const x of asks.slice(0, 3)) a.tell(x.genome, reward(a.archOf(x.hash)!));
  assert.equal(a.ask(), null);
  assert.equal(a.pending().length, 1);
  // "SIGKILL" here: restore from JSON, tell the pending one, and both continue alike
  const b = restoreKdNas(JSON.parse(JSON.stringify(a.state())));
  for (const s of [a, b]) s.tell(asks[3].genome, reward(s.archOf(asks[3].hash)!));
  drive(a);
  drive(b);
  assert.deepEqual(
    b.state().history.map((c) => [c.hash, c.origin]),
    a.state().history.map((c) => [c.hash, c.origin]),
  );
  assert.throws(() => restoreKdNas({ kind: "evolution" }), /restoreKdNas: invalid state: kind/);
  assert.throws(() => createKdNas({ episodes: 50, perEpisode: 10 }), /exceed the space's 192/);
  const arch = a.archOf(asks[0].hash)!;
  assert.equal(kdnasChoiceIndices(arch, a.state().options.space).length, 5);
});
