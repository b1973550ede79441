import assert from "node:assert/strict";
import { describeGenome } from "./describe.ts";
import { countFlops, countParams } from "./count.ts";
import { architectureStats } from "./stats.ts";
import type { Genome } from "./types.ts";

const g: Genome = {
  embeddingSize: 32,
  hiddenSize: 64,
  cells: [
    {
      nodes: [{ op: "attn_4", inputs: ["in0"] }, { op: "ffn_2", inputs: ["n0"] }, {
        op: "conv_3",
        inputs: ["in0"],
      }],
    },
    {
      nodes: [
        { op: "maxpool_3", inputs: ["in1"] },
        { op: "zero", inputs: ["in0"] },
        { op: "dilconv_5", inputs: ["n0", "n1"] },
        { op: "identity", inputs: ["in0"] },
      ],
    },
  ],
};
const ctx = { vocabSize: 100, maxPositions: 16, numLabels: 3 };

Deno.test("countParams by hand", () => {
  const H = 64, E = 32;
  const emb = (100 + 16 + 2) * E + 2 * E + E * H + H;
  const cell0 = 4 * (H * H + H) + (2 * 2 * H * H + 2 * H + H) + (3 * H + H * H + H) + 2 * H;
  const cell1 = (5 * H + H * H + H) + 2 * H; // pool, identity: 0; zero dropped
  assert.equal(countParams(g, ctx), emb + cell0 + cell1 + H * 3 + 3);
  // no projection when E == H
  const same = { ...g, embeddingSize: 64 };
  assert.equal(countParams(same, ctx) - countParams(g, ctx), (118 * 32 + 2 * 32) - (E * H + H));
});

Deno.test("countFlops by hand", () => {
  const H = 64, E = 32, S = 10;
  const expected = S * E * H + (4 * S * H * H + 2 * S * S * H) + 2 * 2 * S * H * H +
    (S * 3 * H + S * H * H) +
    (S * 5 * H + S * H * H) + H * 2;
  assert.equal(countFlops(g, { seqLen: S }), expected);
  // attention is quadratic
  assert.ok(countFlops(g, { seqLen: 2 * S }) > 2 * countFlops(g, { seqLen: S }) - 2 * H * 2);
});

Deno.test("architectureStats", () => {
  const s = architectureStats(g, { sizeContext: ctx });
  assert.equal(s.numNodes, 6); // zero dropped
  assert.equal(s.opCounts.attn_4, 1);
  assert.equal(s.opCounts.zero, 0);
  assert.equal(s.attentionShare, 1 / 6);
  assert.equal(s.convolutionShare, 2 / 6);
  assert.equal(s.poolShare, 1 / 6);
  // depth: cell0 longest attn->ffn = 2; cell1: in1 (embeddings, 0) -> maxpool -> dilconv = 2, or
  // cell0 output (2) + identity (0) = 2, residual 2 -> 2
  assert.equal(s.depth, 2);
  // cell0: attn and conv at level 1; cell1: maxpool and identity at level 1
  assert.equal(s.width, 2);
  assert.equal(s.branches, (2 + 2) / 2);
  assert.equal(s.params, countParams(g, ctx));
  const deep: Genome = {
    ...g,
    cells: [g.cells[0], {
      nodes: [{ op: "ffn_1", inputs: ["in0"] }, { op: "conv_3", inputs: ["n0"] }],
    }],
  };
  assert.equal(architectureStats(deep).depth, 4);
});

Deno.test("describeGenome is one compact line", () => {
  const d = describeGenome(g);
  assert.equal(d.split("\n").length, 1);
  assert.match(
    d,
    new RegExp(
      String.raw`^E32>H64 \| attn_4\(in0\) ffn_2\(n0\) conv_3\(in0\) \| ` +
        String.raw`maxpool_3\(in1\) zero\(in0\) dilconv_5\(n0\+n1\)`,
    ),
  );
});
