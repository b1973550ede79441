import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { counterFit, normaliseRows, vspPairs } from "./counter_fit.ts";

const DIM = 8;

function cos(m: Float32Array, a: number, b: number): number {
  let d = 0, na = 0, nb = 0;
  for (let j = 0; j < DIM; j++) {
    d += m[a * DIM + j] * m[b * DIM + j];
    na += m[a * DIM + j] ** 2;
    nb += m[b * DIM + j] ** 2;
  }
  return d / Math.sqrt(na * nb);
}

/**
 * Words: 0 and 1 synonyms (cosine about 0), 2 and 3 antonyms (close, as distributional vectors
 * make them), 4 a near neighbour of 0 (inside the VSP radius), 5 and 6 unrelated to everything.
 */
function fixture(): Float32Array {
  const prng = Prng.fromSeed(9);
  const rnd = () => Array.from({ length: DIM }, () => prng.normal());
  const r = [rnd(), rnd(), rnd(), rnd(), rnd(), rnd(), rnd()];
  const m = new Float32Array(7 * DIM);
  for (let j = 0; j < DIM; j++) {
    m[0 * DIM + j] = r[0][j];
    m[1 * DIM + j] = r[1][j];
    m[2 * DIM + j] = r[2][j];
    m[3 * DIM + j] = r[2][j] + 0.5 * r[3][j];
    m[4 * DIM + j] = r[0][j] + 0.15 * r[4][j];
    m[5 * DIM + j] = r[5][j];
    m[6 * DIM + j] = r[6][j];
  }
  return m;
}

const synonyms = Int32Array.from([0, 1]);
const antonyms = Int32Array.from([2, 3]);

Deno.test("counterFit: synonyms closer, antonyms apart, an unrelated pair kept", () => {
  const m = fixture();
  assert.ok(cos(m, 2, 3) > 0.8 && Math.abs(cos(m, 0, 1)) < 0.5 && cos(m, 0, 4) > 0.9);
  const r = counterFit({ vectors: m, dim: DIM }, { synonyms, antonyms });
  const w = r.vectors;
  assert.ok(cos(w, 0, 1) > cos(m, 0, 1) + 0.4, `synonyms ${cos(m, 0, 1)} -> ${cos(w, 0, 1)}`);
  assert.ok(cos(w, 2, 3) < 0.1, `antonyms ${cos(m, 2, 3)} -> ${cos(w, 2, 3)}`);
  // 5 and 6 are in no constraint and no VSP pair: unchanged up to normalisation.
  assert.ok(Math.abs(cos(w, 5, 6) - cos(m, 5, 6)) < 1e-6);
  // Word 4 follows its neighbour 0 (vector space preservation): their cosine barely moves.
  assert.equal(r.vspPairs, 1);
  const kept = Math.abs(cos(w, 0, 4) - cos(m, 0, 4));
  const free = counterFit({ vectors: m, dim: DIM }, { synonyms, antonyms }, { k3: 0 }).vectors;
  const drifted = Math.abs(cos(free, 0, 4) - cos(m, 0, 4));
  assert.ok(kept < 0.05 && drifted > 2 * kept, `VSP kept ${kept}, without VSP ${drifted}`);
  // Rows stay unit length; the hinge costs fall.
  for (let i = 0; i < 7; i++) assert.ok(Math.abs(cos(w, i, i) - 1) < 1e-6);
  const h = r.history;
  assert.equal(h.length, 20);
  assert.ok(h[19].synonymCost < h[0].synonymCost && h[19].antonymCost < h[0].antonymCost);
});

Deno.test("counterFit: zero epochs only normalises; bad pairs are rejected", () => {
  const m = fixture();
  assert.deepEqual(
    counterFit({ vectors: m, dim: DIM }, { synonyms, antonyms }, { epochs: 0 }).vectors,
    normaliseRows(m, DIM),
  );
  assert.throws(
    () => counterFit({ vectors: m, dim: DIM }, { synonyms: Int32Array.from([0, 9]), antonyms }),
    /synonyms holds id 9, outside the vocabulary of 7/,
  );
  assert.throws(
    () => counterFit({ vectors: m, dim: 5 }, { synonyms, antonyms }),
    /do not split into rows of 5/,
  );
});

Deno.test("vspPairs: pairs within rho, sorted, antonyms excluded", () => {
  const u = normaliseRows(fixture(), DIM);
  const all = vspPairs({ vectors: u, dim: DIM });
  assert.deepEqual([...all.a], [0, 2]);
  assert.deepEqual([...all.b], [4, 3]);
  assert.ok(all.distance.every((d) => d >= 0 && d <= 0.2));
  const some = vspPairs({ vectors: u, dim: DIM }, { exclude: antonyms });
  assert.deepEqual([...some.a], [0]);
  assert.deepEqual([...some.b], [4]);
  assert.equal(vspPairs({ vectors: u, dim: DIM }, { rho: 0 }).a.length, 0);
});
