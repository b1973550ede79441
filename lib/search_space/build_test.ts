import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import { Prng } from "../random/mod.ts";
import { setupBackend } from "./_test_backend.ts";
import { withMacCounter } from "./_ops/macs.ts";
import { buildStudent } from "./build.ts";
import { genomeHash } from "./canonical.ts";
import { countFlops, countParams } from "./count.ts";
import { measureLatency } from "./latency.ts";
import { OP_NAMES, type OpName } from "./ops.ts";
import { sampleGenome } from "./sample.ts";
import { DEFAULT_SEARCH_SPACE } from "./space.ts";
import type { Genome } from "./types.ts";

await setupBackend();

const V = 50;

/** Batch of `rows` sequences with the given real lengths (rest padding). */
function makeBatch(lengths: number[], seqLen: number, seed = 1): EncodedBatch {
  const prng = Prng.fromSeed(seed);
  const b = lengths.length, n = b * seqLen;
  const inputIds = new Int32Array(n),
    tokenTypeIds = new Int32Array(n),
    attentionMask = new Int32Array(n);
  lengths.forEach((len, r) => {
    for (let t = 0; t < len; t++) {
      inputIds[r * seqLen + t] = 1 + prng.int(V - 1);
      tokenTypeIds[r * seqLen + t] = t >= len / 2 ? 1 : 0;
      attentionMask[r * seqLen + t] = 1;
    }
  });
  return {
    batchSize: b,
    seqLen,
    inputIds,
    tokenTypeIds,
    attentionMask,
    labels: Int32Array.from(lengths.map((_, i) => i % 2)),
    indices: lengths.map((_, i) => i),
  };
}

function loss(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(
    tf.oneHot(tf.tensor1d(labels, "int32"), logits.shape[1]),
    logits,
  ) as tf.Scalar;
}

const opGenome = (op: OpName): Genome => ({
  embeddingSize: 8,
  hiddenSize: 16,
  cells: [{
    nodes: op === "zero"
      ? [{ op: "zero", inputs: ["in0"] }, { op: "ffn_1", inputs: ["in0"] }]
      : [{ op, inputs: ["in0"] }],
  }, { nodes: [{ op, inputs: ["in0", "in1"] }, { op: "ffn_1", inputs: ["in1"] }] }],
});

Deno.test("every op: shapes, finite gradients reaching its weights", () => {
  const batch = makeBatch([7, 4, 9], 9);
  for (const op of OP_NAMES) {
    const m = buildStudent(opGenome(op), { vocabSize: V, maxPositions: 16, numLabels: 3, seed: 1 });
    try {
      const out = m.forward(batch, { outputHidden: true, outputAttentions: true });
      assert.deepEqual(out.logits.shape, [3, 3], op);
      assert.equal(out.hidden.length, 3, op);
      for (const h of out.hidden) assert.deepEqual(h.shape, [3, 9, 16], op);
      const nAttn = op.startsWith("attn") ? 2 : 0;
      assert.equal(out.attentions!.length, nAttn, op);
      for (const a of out.attentions!) assert.deepEqual(a.shape, [3, Number(op.slice(5)), 9, 9]);
      tf.dispose([out.logits, ...out.hidden, ...out.attentions!]);
      const names = [...m.params.keys()];
      const { value, grads } = tf.variableGrads(
        () => loss(m.forward(batch, { training: true, seed: 3 }).logits, batch.labels!),
        [...m.params.values()],
      );
      const vars = [...m.params.entries()];
      for (const [name, v] of vars) {
        const g = grads[v.name];
        assert.ok(g, `${op}: no gradient for ${name}`);
        const data = g.dataSync();
        assert.ok(data.every(Number.isFinite), `${op}: non-finite gradient for ${name}`);
        const own = name.startsWith("cells.") && name.includes(".nodes.0.");
        if (own) assert.ok(data.some((x) => x !== 0), `${op}: zero gradient for ${name}`);
      }
      if (op.startsWith("conv") || op.startsWith("dilconv")) {
        assert.ok(names.includes("cells.0.nodes.0.conv.depthwise.weight"));
      }
      if (op.startsWith("attn")) assert.ok(names.includes("cells.1.nodes.0.attn.q.weight"));
      assert.ok(Number.isFinite(value.dataSync()[0]));
      tf.dispose([value, ...Object.values(grads)]);
    } finally {
      m.dispose();
    }
  }
});

Deno.test(
  "countParams and countFlops equal the built model (variables, run-time multiply-adds)",
  () => {
    const prng = Prng.fromSeed(21);
    const ctx = { vocabSize: 120, maxPositions: 24, numLabels: 2 };
    const seqLen = 12, batch = makeBatch([12, 5], seqLen);
    for (let i = 0; i < 6; i++) {
      const g = sampleGenome(DEFAULT_SEARCH_SPACE, prng);
      const m = buildStudent(g, { ...ctx, prng });
      try {
        let vars = 0;
        for (const v of m.params.values()) vars += v.size;
        assert.equal(vars, countParams(g, ctx));
        assert.equal(m.countParams(), vars);
        const { result, macs } = withMacCounter(() => m.forward(batch));
        tf.dispose(result.logits);
        assert.equal(macs / batch.batchSize, countFlops(g, { seqLen, numLabels: 2 }));
      } finally {
        m.dispose();
      }
    }
  },
);

const mixed: Genome = {
  embeddingSize: 8,
  hiddenSize: 16,
  cells: [
    {
      nodes: [{ op: "attn_2", inputs: ["in0"] }, { op: "conv_5", inputs: ["n0"] }, {
        op: "maxpool_3",
        inputs: ["in0"],
      }],
    },
    {
      nodes: [{ op: "dilconv_3", inputs: ["in0", "in1"] }, { op: "avgpool_3", inputs: ["n0"] }, {
        op: "ffn_2",
        inputs: ["in0"],
      }, { op: "conv_7", inputs: ["n1"] }],
    },
  ],
};

Deno.test("padding does not change the logits of real tokens", () => {
  const m = buildStudent(mixed, { vocabSize: V, maxPositions: 32, seed: 2 });
  try {
    const short = makeBatch([6, 3], 6, 5);
    const long: EncodedBatch = {
      ...makeBatch([6, 3], 14),
      inputIds: new Int32Array(28),
      tokenTypeIds: new Int32Array(28),
      attentionMask: new Int32Array(28),
    };
    for (let r = 0; r < 2; r++) {
      for (let t = 0; t < 6; t++) {
        long.inputIds[r * 14 + t] = short.inputIds[r * 6 + t];
        long.tokenTypeIds[r * 14 + t] = short.tokenTypeIds[r * 6 + t];
        long.attentionMask[r * 14 + t] = short.attentionMask[r * 6 + t];
      }
      // junk ids under padding must not matter either
      for (let t = 6; t < 14; t++) long.inputIds[r * 14 + t] = 7 + t;
    }
    const a = m.forward(short).logits, b = m.forward(long).logits;
    const da = a.dataSync(), db = b.dataSync();
    for (let i = 0; i < da.length; i++) assert.ok(Math.abs(da[i] - db[i]) < 1e-4, `${da} vs ${db}`);
    tf.dispose([a, b]);
  } finally {
    m.dispose();
  }
});

Deno.test("equivalent genomes with the same seed build the same model; seeds matter", () => {
  const batch = makeBatch([5, 5], 5);
  const renumbered: Genome = structuredClone(mixed);
  renumbered.cells[0].nodes = [
    { op: "maxpool_3", inputs: ["in0"] },
    { op: "attn_2", inputs: ["in0"] },
    { op: "conv_5", inputs: ["n1"] },
    { op: "zero", inputs: ["in0"] },
  ];
  assert.equal(genomeHash(renumbered), genomeHash(mixed));
  const logits = (g: Genome, seed: number) => {
    const m = buildStudent(g, { vocabSize: V, seed });
    const l = m.forward(batch).logits;
    const d = Array.from(l.dataSync());
    l.dispose();
    m.dispose();
    return d;
  };
  assert.deepEqual(logits(renumbered, 4), logits(mixed, 4));
  assert.notDeepEqual(logits(mixed, 5), logits(mixed, 4));
});

Deno.test("memory: no tensor growth over a training step and a forward", () => {
  const m = buildStudent(mixed, { vocabSize: V, seed: 1 });
  const opt = tf.train.sgd(0.1);
  const batch = makeBatch([8, 6, 2], 8);
  const step = () => {
    const { value, grads } = tf.variableGrads(
      () => loss(m.forward(batch, { training: true }).logits, batch.labels!),
      [...m.params.values()],
    );
    opt.applyGradients(grads);
    tf.dispose([value, ...Object.values(grads)]);
  };
  try {
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    const out = m.forward(batch, { outputHidden: true, outputAttentions: true });
    tf.dispose([out.logits, ...out.hidden, ...(out.attentions ?? [])]);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    m.dispose();
    opt.dispose();
  }
});

Deno.test("training reduces the loss on a tiny batch", () => {
  const m = buildStudent(mixed, { vocabSize: V, seed: 3 });
  const opt = tf.train.adam(0.01);
  const batch = makeBatch([8, 6, 7, 5], 8, 9);
  const lossNow = () => tf.tidy(() => loss(m.forward(batch).logits, batch.labels!).dataSync()[0]);
  try {
    const first = lossNow();
    for (let i = 0; i < 15; i++) {
      const l = opt.minimize(
        () => loss(m.forward(batch, { training: true, seed: i }).logits, batch.labels!),
        true,
        [...m.params.values()],
      );
      l?.dispose();
    }
    assert.ok(lossNow() < first * 0.7, `loss ${first} -> ${lossNow()}`);
  } finally {
    m.dispose();
    opt.dispose();
  }
});

Deno.test("errors: seqLen beyond maxPositions, disposed model, bad genome", () => {
  const m = buildStudent(mixed, { vocabSize: V, maxPositions: 4 });
  assert.throws(() => m.forward(makeBatch([5], 5)), /seqLen 5 exceeds maxPositions 4/);
  m.dispose();
  assert.throws(() => m.forward(makeBatch([2], 2)), /disposed/);
  assert.throws(
    () =>
      buildStudent({ ...mixed, cells: [{ nodes: [{ op: "ffn_1", inputs: ["n2"] }] }] }, {
        vocabSize: V,
      }),
    /cells\[0\]\.nodes\[0\]\.inputs\[0\]/,
  );
});

Deno.test("measureLatency: median of timed forwards, no leak", () => {
  const m = buildStudent(mixed, { vocabSize: V });
  try {
    const before = tf.memory().numTensors;
    const r = measureLatency(m, { batchSize: 4, seqLen: 8, repeats: 3, warmup: 1 });
    assert.equal(r.timesMs.length, 3);
    assert.ok(r.medianMs > 0 && r.minMs <= r.medianMs && r.medianMs <= r.maxMs);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    m.dispose();
  }
});

Deno.test("wordReplacement: one-hot rows times the word table equal those ids (searched)", () => {
  const student = buildStudent(opGenome("ffn_1"), { vocabSize: V, seed: 4 });
  const batch = makeBatch([5, 3], 6);
  const positions = Int32Array.from([1, 7]);
  const onehot = tf.oneHot(tf.tensor1d([11, 12], "int32"), V).toFloat() as tf.Tensor2D;
  const viaOnehot = student.forward(batch, { wordReplacement: { positions, onehot } }).logits;
  const ids = Int32Array.from(batch.inputIds);
  ids[1] = 11;
  ids[7] = 12;
  const direct = student.forward({ ...batch, inputIds: ids }).logits;
  const a = viaOnehot.dataSync(), b = direct.dataSync();
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-5, `${x} vs ${b[i]}`));
  tf.dispose([onehot, viaOnehot, direct]);
  student.dispose();
});
