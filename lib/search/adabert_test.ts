import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";
import type { EncodedBatch } from "../data/mod.ts";
import {
  ADABERT_OPS,
  adabertOpCosts,
  cellEdges,
  deriveArchitecture,
  derivedGenome,
  expectedEfficiencyCost,
  gumbelTemperature,
} from "../search_space/mod.ts";
import { buildStudent } from "../search_space/tfjs.ts";
import { AdaBertSupernet } from "./adabert_supernet.ts";
import { type AdaBertData, adabertSearch, type AdaBertSearchOptions } from "./adabert.ts";

function batch(): EncodedBatch {
  const B = 2, S = 5;
  const ids = [101, 7, 8, 9, 102, 101, 11, 102, 0, 0];
  return {
    batchSize: B,
    seqLen: S,
    inputIds: Int32Array.from(ids),
    tokenTypeIds: new Int32Array(B * S),
    attentionMask: Int32Array.from(ids, (x) => (x === 0 ? 0 : 1)),
    labels: Int32Array.from([0, 1]),
    indices: [0, 1],
  };
}

const tiny = () =>
  new AdaBertSupernet({
    vocabSize: 200,
    maxPositions: 16,
    numLabels: 2,
    embeddingSize: 8,
    hiddenSize: 8,
    maxCells: 3,
    seed: 3,
  });

Deno.test("AdaBERT: the Gumbel-softmax mixture's gradients reach alpha and beta", async () => {
  await initBackend();
  const net = tiny();
  const before = tf.memory().numTensors;
  const b = batch();
  const { grads, value } = tf.variableGrads(() => {
    const o = net.forward(b, { training: true, temperature: 1, mode: "gumbel", gumbelSeed: 5 });
    const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 1], "int32"), 2), o.logits);
    return tf.add(ce, tf.mul(4, o.efficiency)) as tf.Scalar;
  }, [net.arch.alpha, net.arch.beta]);
  const total = (t: tf.Tensor) => tf.tidy(() => t.abs().sum().dataSync()[0]);
  const ga = total(grads[net.arch.alpha.name]), gb = total(grads[net.arch.beta.name]);
  assert.ok(Number.isFinite(value.dataSync()[0]));
  assert.ok(ga > 0 && Number.isFinite(ga), `alpha gradient ${ga}`);
  assert.ok(gb > 0 && Number.isFinite(gb), `beta gradient ${gb}`);
  tf.dispose([value, ...Object.values(grads)]);
  // a hard sample: one op per edge and one depth in the forward pass
  const o = net.forward(b, { temperature: 0.5, mode: "gumbel", gumbelSeed: 9 });
  const w = o.opWeights.arraySync();
  assert.ok(
    w.every((r) => r.filter((x) => x === 1).length === 1 && r.every((x) => x === 0 || x === 1)),
  );
  assert.equal(o.depthWeights.arraySync().filter((x) => x === 1).length, 1);
  tf.dispose([o.logits, ...o.cellLogits, o.opWeights, o.depthWeights, o.efficiency]);
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  net.dispose();
});

Deno.test("AdaBERT: the efficiency loss equals the expected cost computed by hand", async () => {
  await initBackend();
  const net = tiny();
  const alpha = Array.from(
    { length: 9 },
    (_, e) => ADABERT_OPS.map((_, o) => ((e + 1) * (o - 4)) / 10),
  );
  const beta = [0.3, -0.2, 0.9];
  net.arch.alpha.assign(tf.tensor2d(alpha));
  net.arch.beta.assign(tf.tensor1d(beta));
  const tau = 0.7;
  const o = net.forward(batch(), { temperature: tau, mode: "soft" });
  const sm = (xs: number[]) => {
    const e = xs.map((x) => Math.exp(x / tau)), z = e.reduce((a, b) => a + b);
    return e.map((x) => x / z);
  };
  // by hand at hidden 8: conv_k = k*8 + 64 + 8 parameters, conv_7 the largest (128)
  const costs = [3, 5, 7, 3, 5, 7].map((k) => (8 * k + 72) / 128).concat([0, 0, 0, 0]);
  assert.deepEqual(adabertOpCosts(8).map((c) => +c.toFixed(12)), costs.map((c) => +c.toFixed(12)));
  const pd = sm(beta), depth = (pd[0] * 1 + pd[1] * 2 + pd[2] * 3) / 3;
  const perEdge = alpha.map((r) => sm(r).reduce((a, p, i) => a + p * costs[i], 0));
  const byHand = depth * perEdge.reduce((a, b) => a + b) / 9;
  assert.ok(
    Math.abs(o.efficiency.dataSync()[0] - byHand) < 1e-6,
    `${o.efficiency.dataSync()} vs ${byHand}`,
  );
  assert.ok(Math.abs(expectedEfficiencyCost(alpha.map(sm), pd, costs) - byHand) < 1e-12);
  tf.dispose([o.logits, ...o.cellLogits, o.opWeights, o.depthWeights, o.efficiency]);
  net.dispose();
});

Deno.test("AdaBERT derivation: strongest non-zero op per edge, two inputs per node", () => {
  const edges = cellEdges();
  assert.equal(edges.length, 9);
  const alpha = edges.map(() => ADABERT_OPS.map(() => 0));
  const zero = ADABERT_OPS.indexOf("zero");
  const at = (node: number, source: string) =>
    edges.findIndex((e) => e.node === node && e.source === source);
  // node 0: in1 strongly conv_5; in0 weakly maxpool (zero is strongest there, but never chosen)
  alpha[at(0, "in1")][ADABERT_OPS.indexOf("conv_5")] = 3;
  alpha[at(0, "in0")][ADABERT_OPS.indexOf("maxpool_3")] = 1;
  alpha[at(0, "in0")][zero] = 5;
  // node 2: n0 and n1 strongest, in0/in1 flat
  alpha[at(2, "n0")][ADABERT_OPS.indexOf("identity")] = 2;
  alpha[at(2, "n1")][ADABERT_OPS.indexOf("dilconv_7")] = 4;
  alpha[at(1, "in0")][ADABERT_OPS.indexOf("avgpool_3")] = 2;
  alpha[at(1, "n0")][ADABERT_OPS.indexOf("conv_3")] = 2.5;
  const d = deriveArchitecture(alpha, [0, 2, 1]);
  assert.equal(d.cells, 2);
  const show = d.nodes.map((n) => n.map((e) => `${e.op}(${e.source})`));
  assert.deepEqual(show, [
    ["conv_5(in1)", "maxpool_3(in0)"],
    ["conv_3(n0)", "avgpool_3(in0)"],
    ["dilconv_7(n1)", "identity(n0)"],
  ]);
  const g = derivedGenome(d, { embeddingSize: 8, hiddenSize: 8 });
  assert.equal(g.cells.length, 2);
  // 6 edge nodes + 3 sum nodes + collectors for n0 and n1 (consumed by later nodes)
  assert.equal(g.cells[1].nodes.length, 11);
  assert.deepEqual(g.cells[1].nodes[0], { op: "conv_5", inputs: ["in1"] });
  assert.deepEqual(g.cells[0].nodes[0], { op: "conv_5", inputs: ["in0"] }, "cell 0 reads in0");
  assert.deepEqual(g.cells[1].nodes[2], { op: "identity", inputs: ["n0", "n1"] });
  assert.deepEqual(g.cells[1].nodes[3], { op: "conv_3", inputs: ["n2"] });
  const student = buildStudent(g, { vocabSize: 200, maxPositions: 16, seed: 1 });
  assert.ok(student.countParams() > 0);
  student.dispose();
  assert.throws(() => deriveArchitecture([[1]], [0]), /alpha must be \[9\]\[10\]/);
});

Deno.test("AdaBERT temperature: 1.0 at the start, 0.2 at the end, exponential between", () => {
  assert.equal(gumbelTemperature(0, 100), 1);
  assert.ok(Math.abs(gumbelTemperature(99, 100) - 0.2) < 1e-12);
  assert.ok(Math.abs(gumbelTemperature(49.5, 100) - Math.sqrt(0.2)) < 1e-12);
  assert.ok(gumbelTemperature(10, 100) > gumbelTemperature(11, 100));
  assert.equal(gumbelTemperature(500, 100), gumbelTemperature(99, 100));
  assert.throws(() => gumbelTemperature(0, 0), /total >= 1/);
});

function tinyData(n: number): AdaBertData {
  const rows = Array.from({ length: n }, (_, i) => [101, 10 + (i % 7), 20 + (i % 3), 102]);
  const mk = (offset: number, epoch: number): EncodedBatch[] => {
    const out: EncodedBatch[] = [];
    for (let s = 0; s < n; s += 4) {
      const idx = Array.from({ length: 4 }, (_, k) => (s + k + epoch) % n);
      out.push({
        batchSize: 4,
        seqLen: 4,
        inputIds: Int32Array.from(idx.flatMap((i) => rows[i])),
        tokenTypeIds: new Int32Array(16),
        attentionMask: new Int32Array(16).fill(1),
        labels: Int32Array.from(idx, (i) => (i + offset) % 2),
        indices: idx,
      });
    }
    return out;
  };
  return {
    trainBatches: (e) => mk(0, e),
    archBatches: (e) => mk(1, e),
    targets: (_split, ix) => Float32Array.from(ix.flatMap((i) => [i % 2, 1 - (i % 2), 0.5, 0])),
    teacherLayers: 2,
  };
}

Deno.test("AdaBERT search: resumed from a checkpoint = uninterrupted, same result", async () => {
  await initBackend();
  const dir = await Deno.makeTempDir();
  const opts = { steps: 6, seed: 4, recordEvery: 2, archLearningRate: 0.05 };
  const run = async (o: Partial<AdaBertSearchOptions>) => {
    const net = tiny();
    try {
      return await adabertSearch(net, tinyData(8), { ...opts, ...o });
    } finally {
      net.dispose();
    }
  };
  const straight = await run({});
  const before = tf.memory().numTensors;
  await run({ stopAfter: 3, checkpoint: { dir, every: 2 } }).then((r) => assert.equal(r.steps, 3));
  const mid = tf.memory().numTensors;
  const resumed = await run({ checkpoint: { dir, every: 2 } });
  assert.equal(resumed.resumedFrom, 3);
  assert.equal(
    tf.memory().numTensors,
    before,
    `tensors left: ${mid - before}, ${tf.memory().numTensors - mid}`,
  );
  const diff = Math.max(
    ...straight.alpha.flat().map((v, i) => Math.abs(v - resumed.alpha.flat()[i])),
  );
  assert.ok(diff < 1e-5, `alpha differs by ${diff}`);
  assert.ok(straight.alpha.flat().some((v) => Math.abs(v) > 1e-3), "alpha moved");
  assert.deepEqual(resumed.derived, straight.derived);
  assert.deepEqual(resumed.trajectory.map((r) => r.step), [2, 4, 6]);
  assert.ok(straight.trajectory.every((r) => Number.isFinite(r.loss) && r.efficiency >= 0));
  await Deno.remove(dir, { recursive: true });
});
