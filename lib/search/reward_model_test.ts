import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { createRewardModel, restoreRewardModel, type RewardExample } from "./reward_model.ts";

const CARD = [4, 2, 4, 3, 2];

/** A synthetic reward: additive in the choices plus one interaction, and the context. */
function synthetic(n: number, seed: number): RewardExample[] {
  const prng = Prng.fromSeed(seed);
  return Array.from({ length: n }, () => {
    const choices = CARD.map((c) => prng.int(c));
    const context = [0.5 + 0.1 * prng.next(), 0.6];
    const reward = 0.5 + 0.05 * choices[0] - 0.04 * choices[2] + 0.03 * choices[1] * choices[3] +
      0.2 * (context[0] - 0.5);
    return { choices, context, reward };
  });
}

function spearman(a: number[], b: number[]): number {
  const rank = (x: number[]) => {
    const idx = x.map((v, i) => [v, i]).sort((p, q) => p[0] - q[0]);
    const r = new Array(x.length);
    idx.forEach(([, i], k) => (r[i] = k));
    return r as number[];
  };
  const ra = rank(a), rb = rank(b), n = a.length;
  const d2 = ra.reduce((s, r, i) => s + (r - rb[i]) ** 2, 0);
  return 1 - 6 * d2 / (n * (n * n - 1));
}

for (const kind of ["lstm", "mlp"] as const) {
  Deno.test(`reward model (${kind}): hand-written gradients equal numerical ones`, () => {
    const m = createRewardModel({ kind, cardinalities: CARD, embedding: 3, hidden: 4, seed: 1 });
    const data = synthetic(6, 2);
    const { grads } = m.lossAndGrads(data);
    let checked = 0;
    for (const [name, p] of Object.entries(m.params)) {
      for (const q of [0, Math.floor(p.length / 2), p.length - 1]) {
        const keep = p[q], h = 1e-6;
        p[q] = keep + h;
        const up = m.lossAndGrads(data).loss;
        p[q] = keep - h;
        const down = m.lossAndGrads(data).loss;
        p[q] = keep;
        const num = (up - down) / (2 * h);
        assert.ok(
          Math.abs(num - grads[name][q]) <= 1e-6 + 1e-4 * Math.abs(num),
          `${name}[${q}]: analytic ${grads[name][q]} vs numerical ${num}`,
        );
        checked++;
      }
    }
    assert.ok(checked > 20);
  });

  Deno.test(`reward model (${kind}): fitting lowers the loss and ranks held-out candidates`, () => {
    const m = createRewardModel({ kind, cardinalities: CARD, seed: 3, iterations: 400 });
    const train = synthetic(80, 4), test = synthetic(40, 5);
    const losses = m.fit(train);
    assert.ok(losses.at(-1)! < 0.25 * losses[0], `loss ${losses[0]} -> ${losses.at(-1)}`);
    const rho = spearman(
      test.map((x) => m.predict(x.choices, x.context)),
      test.map((x) => x.reward),
    );
    assert.ok(rho > 0.8, `held-out Spearman ${rho.toFixed(3)}`);
    // a restored model predicts the same and continues the same training
    const copy = restoreRewardModel(JSON.parse(JSON.stringify(m.state())));
    assert.equal(
      copy.predict(test[0].choices, test[0].context),
      m.predict(test[0].choices, test[0].context),
    );
    assert.deepEqual(copy.fit(train.slice(0, 10)), m.fit(train.slice(0, 10)));
    assert.throws(() => m.predict([9, 0, 0, 0, 0], [0, 0]), /choice 0 = 9, allowed 0\.\.3/);
  });
}
