import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { countParams } from "./count.ts";
import { genomeHash } from "./canonical.ts";
import {
  DEFAULT_KDNAS_SPACE,
  kdnasArchErrors,
  kdnasGenome,
  kdnasSpaceSize,
  sampleKdNasArch,
} from "./kdnas_space.ts";
import { validateStructure } from "./validate.ts";
import { DEFAULT_SIZE_CONTEXT } from "./space.ts";

Deno.test("KD-NAS space: a BERT layer is two residual cells; counts equal BERT's by hand", () => {
  const arch = { layers: 2, heads: 4, hidden: 64, intermediate: 4, activation: "gelu" as const };
  const g = kdnasGenome(arch);
  validateStructure(g);
  assert.equal(g.cells.length, 4);
  assert.deepEqual(g.cells.map((c) => c.nodes[0].op), ["attn_4", "ffn_4", "attn_4", "ffn_4"]);
  assert.equal(g.activation, undefined, "GELU is the default, absent from the genome");
  // the same architecture with ReLU is a different genome; GELU spelt out is the same one
  assert.notEqual(genomeHash(kdnasGenome({ ...arch, activation: "relu" })), genomeHash(g));
  assert.equal(genomeHash({ ...g, activation: "gelu" }), genomeHash(g));
  // encoder parameters per layer as BERT's: 4 h^2 + 4 h (QKV + output) + 2 h (LN)
  // + 2 r h^2 + r h + h (FFN) + 2 h (LN); h = 64, r = 4
  const h = 64, r = 4;
  const layer = 4 * h * h + 4 * h + 2 * h + 2 * r * h * h + r * h + h + 2 * h;
  const oneLayer = countParams(kdnasGenome({ ...arch, layers: 1 }), DEFAULT_SIZE_CONTEXT);
  assert.equal(countParams(g, DEFAULT_SIZE_CONTEXT) - oneLayer, layer);
});

Deno.test("KD-NAS space: invalid choices name the field; sampling is seeded and valid", () => {
  const bad = { layers: 9, heads: 3, hidden: 64, intermediate: 3, activation: "tanh" as never };
  const errors = kdnasArchErrors(bad).join("; ");
  for (const f of ["layers: 9", "heads: 3", "intermediate: 3", 'activation: "tanh"']) {
    assert.match(errors, new RegExp(f));
  }
  assert.throws(() => kdnasGenome(bad), /invalid KD-NAS architecture: layers/);
  const a = Array.from(
    { length: 20 },
    (_, i) => sampleKdNasArch(DEFAULT_KDNAS_SPACE, Prng.fromSeed(i)),
  );
  const b = Array.from(
    { length: 20 },
    (_, i) => sampleKdNasArch(DEFAULT_KDNAS_SPACE, Prng.fromSeed(i)),
  );
  assert.deepEqual(a, b);
  for (const x of a) assert.deepEqual(kdnasArchErrors(x), []);
  assert.equal(kdnasSpaceSize(DEFAULT_KDNAS_SPACE), 4 * 2 * 4 * 3 * 2);
});
