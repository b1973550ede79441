import assert from "node:assert/strict";
import { createSearchSpace, DEFAULT_SEARCH_SPACE } from "./space.ts";
import { genomeErrors, validateGenome, validateStructure } from "./validate.ts";
import type { Genome } from "./types.ts";

const ok: Genome = {
  embeddingSize: 64,
  hiddenSize: 128,
  cells: [
    {
      nodes: [{ op: "attn_2", inputs: ["in0"] }, { op: "ffn_2", inputs: ["n0"] }, {
        op: "conv_3",
        inputs: ["in0"],
      }],
    },
    {
      nodes: [{ op: "conv_5", inputs: ["in1"] }, { op: "zero", inputs: ["in0"] }, {
        op: "ffn_1",
        inputs: ["n0", "in0"],
      }],
    },
  ],
};

Deno.test("validateGenome accepts a valid genome", () => {
  assert.deepEqual(validateGenome(ok), ok);
});

Deno.test("validateGenome: shape errors name the field (zod)", () => {
  assert.throws(() => validateGenome({ ...ok, hiddenSize: "128" }), /hiddenSize/);
  const badOp = structuredClone(ok) as unknown as { cells: { nodes: { op: string }[] }[] };
  badOp.cells[1].nodes[2].op = "lstm";
  assert.throws(() => validateGenome(badOp), /cells\[1\]\.nodes\[2\]\.op/);
  assert.throws(() => validateGenome(null), /genome/);
});

Deno.test("validateGenome: DAG rules", () => {
  const fwd = structuredClone(ok);
  fwd.cells[0].nodes[0].inputs = ["n1"];
  assert.throws(
    () => validateGenome(fwd),
    /cells\[0\]\.nodes\[0\]\.inputs\[0\]: "n1" .*allowed: in0\)/,
  );
  const in1 = structuredClone(ok);
  in1.cells[0].nodes[0].inputs = ["in1"]; // cell 0 has only in0
  assert.throws(() => validateGenome(in1), /cells\[0\]\.nodes\[0\]\.inputs\[0\]: "in1"/);
  const dup = structuredClone(ok);
  dup.cells[0].nodes[1].inputs = ["n0", "n0"];
  assert.throws(() => validateGenome(dup), /duplicate input/);
  const dead: Genome = structuredClone(ok);
  dead.cells[1].nodes = [{ op: "zero", inputs: ["in0"] }, { op: "ffn_1", inputs: ["n0"] }, {
    op: "zero",
    inputs: ["in1"],
  }];
  assert.throws(() => validateGenome(dead), /cells\[1\]: no non-zero path/);
});

Deno.test("validateGenome: space choices and compression bounds", () => {
  assert.throws(
    () => validateGenome({ ...ok, embeddingSize: 100 }),
    /embeddingSize: 100 is not allowed \(allowed: 32, 48/,
  );
  assert.throws(
    () => validateGenome({ ...ok, cells: [ok.cells[0]] }),
    /cells: 1 cells, allowed 2\.\.6/,
  );
  const noAttn = {
    ...DEFAULT_SEARCH_SPACE,
    ops: DEFAULT_SEARCH_SPACE.ops.filter((o) => !o.startsWith("attn")),
  };
  assert.throws(
    () => validateGenome(ok, noAttn),
    /cells\[0\]\.nodes\[0\]\.op: "attn_2" is not in this space/,
  );
  const tight = createSearchSpace({ teacherParams: 1e6, minRatio: 3, maxRatio: 10 });
  assert.throws(() => validateGenome(ok, tight), /compression: ratio 0\.\d+ is outside \[3, 10\]/);
  assert.deepEqual(genomeErrors(ok, tight, { checkCompression: false }), []);
});

Deno.test("validateStructure ignores sizes and counts", () => {
  assert.ok(validateStructure({ ...ok, hiddenSize: 40, cells: [ok.cells[0]] }));
  assert.throws(
    () => validateStructure({ ...ok, cells: [{ nodes: [{ op: "ffn_1", inputs: ["n0"] }] }] }),
    /"n0"/,
  );
});
