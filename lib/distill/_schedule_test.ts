import assert from "node:assert/strict";
import { linearWarmupDecay } from "./_schedule.ts";

Deno.test("linear warmup then linear decay to zero", () => {
  const o = { peak: 1, warmupSteps: 2, totalSteps: 6 };
  // warmup: 1/2, 2/2; decay over the remaining 4 steps: (6-3)/4, (6-4)/4, (6-5)/4, 0
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((s) => linearWarmupDecay(s, o)), [
    0.5,
    1,
    0.75,
    0.5,
    0.25,
    0,
  ]);
  assert.equal(linearWarmupDecay(3, { peak: 2, warmupSteps: 0, totalSteps: 4 }), 0.5);
});
