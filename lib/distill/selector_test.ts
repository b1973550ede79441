import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { ReinforcedSelector } from "./selector.ts";

Deno.test("selector: on a toy bandit the policy gradient learns to prefer the rewarded arm", () => {
  const prng = Prng.fromSeed(7);
  const sel = ReinforcedSelector.create(2, { learningRate: 0.2 });
  const armA = [1, 0], armB = [0, 1];
  assert.equal(sel.probability(armA), 0.5);
  for (let step = 0; step < 300; step++) {
    const batch = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? armA : armB));
    const { keep } = sel.select(batch, prng);
    // reward: arm A examples kept help, arm B examples kept hurt (plus noise)
    const reward = keep.reduce((r, k, i) => r + (k ? (i % 2 === 0 ? 1 : -1) : 0), 0) / 8 +
      0.1 * prng.normal();
    sel.update(batch, keep, reward);
  }
  assert.ok(sel.probability(armA) > 0.9, `p(A) ${sel.probability(armA)}`);
  assert.ok(sel.probability(armB) < 0.1, `p(B) ${sel.probability(armB)}`);
});

Deno.test("selector: no learning signal without an advantage; state round trip", () => {
  const sel = ReinforcedSelector.create(2);
  const batch = [[1, 0], [0, 1]];
  // the first reward only sets the baseline; the same reward again has no advantage
  assert.deepEqual(sel.update(batch, [true, false], 0.5), { advantage: 0, baseline: 0.5 });
  assert.deepEqual(sel.update(batch, [true, false], 0.5), { advantage: 0, baseline: 0.5 });
  assert.equal(sel.probability([1, 0]), 0.5);
  sel.update(batch, [true, false], 1.5); // advantage +1: the kept one up, the dropped one down
  assert.ok(sel.probability([1, 0]) > 0.5 && sel.probability([0, 1]) < 0.5);
  const again = ReinforcedSelector.fromState(JSON.parse(JSON.stringify(sel.state())));
  assert.equal(again.probability([1, 0]), sel.probability([1, 0]));
  assert.throws(() => sel.probability([1]), /1 features, expected 2/);
});
