import assert from "node:assert/strict";
import { maskTokens } from "./mlm_masking.ts";
import { Prng } from "../random/mod.ts";
import type { EncodedBatch } from "./types.ts";

function batchOf(rows: number[][]): EncodedBatch {
  const s = Math.max(...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * s), mask = new Int32Array(rows.length * s);
  rows.forEach((r, i) => r.forEach((t, j) => (ids[i * s + j] = t, mask[i * s + j] = 1)));
  return {
    batchSize: rows.length,
    seqLen: s,
    inputIds: ids,
    attentionMask: mask,
    tokenTypeIds: new Int32Array(rows.length * s),
    indices: rows.map((_, i) => i),
  };
}

Deno.test("maskTokens never touches special tokens or padding and keeps targets", () => {
  const b = batchOf([[101, 2000, 2001, 2002, 2003, 102], [101, 3000, 102]]);
  const m = maskTokens(b, Prng.fromSeed(3), { rate: 0.5 });
  for (let i = 0; i < m.positions.length; i++) {
    const k = m.positions[i];
    assert.ok(![101, 102, 0].includes(b.inputIds[k]), `position ${k} is special`);
    assert.equal(m.targets[i], b.inputIds[k]);
  }
  // row 0 has 4 maskable tokens -> 2 targets; row 1 has 1 -> 1 target
  assert.equal(m.positions.length, 3);
  assert.equal(b.inputIds[1], 2000, "the input batch is not modified");
});

Deno.test("maskTokens follows the 80/10/10 rule on a large batch", () => {
  const row = [101, ...Array.from({ length: 200 }, (_, i) => 2000 + i), 102];
  const b = batchOf(Array.from({ length: 50 }, () => row));
  const m = maskTokens(b, Prng.fromSeed(1));
  let masked = 0, kept = 0;
  for (let i = 0; i < m.positions.length; i++) {
    const v = m.batch.inputIds[m.positions[i]];
    if (v === 103) masked++;
    else if (v === m.targets[i]) kept++;
  }
  const n = m.positions.length; // 1500 draws: one standard deviation of a share is about 0.01
  assert.equal(n, 50 * 30);
  assert.ok(Math.abs(masked / n - 0.8) < 0.045, `masked share ${masked / n}`);
  assert.ok(Math.abs(kept / n - 0.1) < 0.035, `kept share ${kept / n}`);
});
