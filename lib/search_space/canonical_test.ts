import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { canonicalize, genomeHash } from "./canonical.ts";
import { sampleGenome } from "./sample.ts";
import { DEFAULT_SEARCH_SPACE } from "./space.ts";
import type { Genome, NodeGene } from "./types.ts";
import { genomeErrors } from "./validate.ts";

const g1 = (nodes: NodeGene[], more: NodeGene[][] = []): Genome => ({
  embeddingSize: 64,
  hiddenSize: 128,
  cells: [{ nodes }, ...more.map((n) => ({ nodes: n }))],
});

Deno.test("canonicalize: input order of a node does not matter", () => {
  const a = g1([{ op: "attn_2", inputs: ["in0"] }, { op: "ffn_1", inputs: ["n0", "in0"] }]);
  const b = g1([{ op: "attn_2", inputs: ["in0"] }, { op: "ffn_1", inputs: ["in0", "n0"] }]);
  assert.equal(genomeHash(a), genomeHash(b));
  assert.deepEqual(canonicalize(a).cells[0].nodes[1].inputs, ["in0", "n0"]);
});

Deno.test("canonicalize: zero nodes and their consumers", () => {
  // n1 = zero; n2 reads n0 and n1 -> n2 reads n0 only.
  const a = g1([
    { op: "conv_3", inputs: ["in0"] },
    { op: "zero", inputs: ["in0"] },
    { op: "ffn_2", inputs: ["n0", "n1"] },
  ]);
  const b = g1([{ op: "conv_3", inputs: ["in0"] }, { op: "ffn_2", inputs: ["n0"] }]);
  assert.deepEqual(canonicalize(a), canonicalize(b));
  // a node fed only by zero nodes is zero; its input n0 then feeds nothing live -> dropped
  const c = g1([
    { op: "attn_4", inputs: ["in0"] },
    { op: "zero", inputs: ["n0"] },
    { op: "ffn_1", inputs: ["n1"] },
    { op: "maxpool_3", inputs: ["in0"] },
  ]);
  assert.deepEqual(canonicalize(c).cells[0].nodes, [{ op: "maxpool_3", inputs: ["in0"] }]);
});

Deno.test("canonicalize: identity chains collapse", () => {
  const a = g1([
    { op: "attn_2", inputs: ["in0"] },
    { op: "identity", inputs: ["n0"] },
    { op: "identity", inputs: ["n1"] },
    { op: "ffn_4", inputs: ["n2"] },
  ]);
  const b = g1([{ op: "attn_2", inputs: ["in0"] }, { op: "ffn_4", inputs: ["n0"] }]);
  assert.deepEqual(canonicalize(a), canonicalize(b));
  // identity as cell output replaced by its (otherwise unused) input
  const c = g1([{ op: "attn_2", inputs: ["in0"] }, { op: "identity", inputs: ["n0"] }]);
  assert.deepEqual(canonicalize(c).cells[0].nodes, [{ op: "attn_2", inputs: ["in0"] }]);
  // ... but not when that would remove a branch: n0 also feeds n2
  const d = g1([
    { op: "attn_2", inputs: ["in0"] },
    { op: "identity", inputs: ["n0"] },
    { op: "ffn_1", inputs: ["n0"] },
  ]);
  assert.equal(canonicalize(d).cells[0].nodes.length, 3);
  // identity of a cell input kept when it is an output (it adds in0 to the cell sum)
  const e = g1([{ op: "identity", inputs: ["in0"] }, { op: "ffn_1", inputs: ["in0"] }]);
  assert.equal(canonicalize(e).cells[0].nodes.length, 2);
  // no duplicate input is created: n2 = ffn(n0 + n1) with n1 = identity(n0) keeps n1
  const f = g1([
    { op: "attn_2", inputs: ["in0"] },
    { op: "identity", inputs: ["n0"] },
    { op: "ffn_1", inputs: ["n0", "n1"] },
  ]);
  assert.equal(canonicalize(f).cells[0].nodes.length, 3);
});

Deno.test("canonicalize: node numbering does not matter", () => {
  const a = g1([
    { op: "attn_2", inputs: ["in0"] },
    { op: "conv_3", inputs: ["in0"] },
    { op: "ffn_1", inputs: ["n1"] },
  ]);
  const b = g1([
    { op: "conv_3", inputs: ["in0"] },
    { op: "ffn_1", inputs: ["n0"] },
    { op: "attn_2", inputs: ["in0"] },
  ]);
  assert.equal(genomeHash(a), genomeHash(b));
  const c = g1([
    { op: "conv_3", inputs: ["in0"] },
    { op: "attn_2", inputs: ["n0"] }, // different graph
    { op: "ffn_1", inputs: ["in0"] },
  ]);
  assert.notEqual(genomeHash(a), genomeHash(c));
});

Deno.test("canonicalize: different genomes hash differently; extra fields ignored", () => {
  const a = g1([{ op: "attn_2", inputs: ["in0"] }]);
  assert.notEqual(genomeHash(a), genomeHash({ ...a, hiddenSize: 256 }));
  assert.notEqual(genomeHash(a), genomeHash(g1([{ op: "attn_4", inputs: ["in0"] }])));
  assert.equal(genomeHash(a), genomeHash({ ...a, note: "x" } as Genome));
  assert.match(genomeHash(a), /^[0-9a-f]{16}$/);
});

Deno.test("canonicalize: idempotent, valid and hash-preserving on random genomes", () => {
  const prng = Prng.fromSeed(7);
  const open = { ...DEFAULT_SEARCH_SPACE, minNodes: 1, maxNodes: 6 };
  for (let i = 0; i < 300; i++) {
    const g = sampleGenome(open, prng);
    const c = canonicalize(g);
    assert.deepEqual(canonicalize(c), c);
    assert.equal(genomeHash(c), genomeHash(g));
    assert.deepEqual(genomeErrors(c, { ...open, minNodes: 1 }), []);
  }
});

Deno.test("canonicalize: relabelling nodes of random genomes keeps the hash", () => {
  const prng = Prng.fromSeed(11);
  for (let i = 0; i < 200; i++) {
    const g = sampleGenome(DEFAULT_SEARCH_SPACE, prng);
    // random topological relabelling of cell 0
    const nodes = g.cells[0].nodes;
    const order: number[] = [];
    const placed = new Set<number>();
    while (order.length < nodes.length) {
      const ready = nodes.map((_, j) => j).filter((j) =>
        !placed.has(j) &&
        nodes[j].inputs.every((r) => r.startsWith("in") || placed.has(Number(r.slice(1))))
      );
      const j = prng.pick(ready);
      placed.add(j);
      order.push(j);
    }
    const pos = new Map(order.map((j, k) => [j, k]));
    const relabelled: NodeGene[] = order.map((j) => ({
      op: nodes[j].op,
      inputs: prng.shuffle(
        nodes[j].inputs.map((r) =>
          (r.startsWith("in") ? r : `n${pos.get(Number(r.slice(1)))}`) as NodeGene["inputs"][number]
        ),
      ),
    }));
    const h = { ...g, cells: [{ nodes: relabelled }, ...g.cells.slice(1)] };
    assert.equal(genomeHash(h), genomeHash(g), JSON.stringify([g.cells[0], h.cells[0]]));
  }
});
