import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import {
  type Classifier,
  createBertClassifier,
  createBertForMaskedLM,
  type WordReplacement,
} from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import type { DistillAugmenter } from "./augmenter.ts";
import { distill } from "./distill.ts";
import { gumbelNoiseFrom, gumbelSoftmaxST } from "./gumbel.ts";
import { mateKd, mateObjective } from "./mate_kd.ts";
import { randomTokenKd } from "./random_token_kd.ts";
import { embeddingPgdKd } from "./embedding_pgd_kd.ts";
import { maskTokens } from "./token_masking.ts";
import { domainAdversarial } from "./domain_adversarial.ts";
import { encodeBatches, loadSst2Dev, setupBackend } from "./_test_data.ts";

await setupBackend();

const V = 64;
/** Ids 0 [PAD], 1 [CLS] (as the fixture's hashed vocabulary), V - 1 [MASK]. */
const VOCAB = Array.from(
  { length: V },
  (_, i) => i === 0 ? "[PAD]" : i === 1 ? "[CLS]" : i === V - 1 ? "[MASK]" : `w${i}`,
);
const bert = (seed: number, hidden = 16) => ({
  vocab_size: V,
  hidden_size: hidden,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  intermediate_size: 2 * hidden,
  max_position_embeddings: 32,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  seed,
});
const classifier = (seed: number, hidden = 16): Classifier =>
  createBertClassifier(bert(seed, hidden), { seed });
const batches = (): EncodedBatch[] =>
  encodeBatches(loadSst2Dev(32), { batchSize: 8, vocabSize: V - 1, maxLength: 16 });

Deno.test("gumbelSoftmaxST: one-hot forward, the softmax's gradient backward (numerically)", () => {
  const logits = tf.tensor2d([[0.5, -1, 2, 0.1, 0], [1, 1, -2, 0.3, 0.7]]);
  const noise = tf.tensor2d([[0.2, 0.1, -0.3, 0.9, 0], [0.4, -0.2, 0.1, 0, 0.5]]);
  const w = tf.tensor2d([[1, -2, 0.5, 3, 1], [-1, 2, 1, 0, 0.5]]);
  const tau = 0.7;
  const y = gumbelSoftmaxST(logits, { tau, seed: 1, noise });
  const yv = y.arraySync();
  const z = tf.add(logits, noise).arraySync() as number[][];
  yv.forEach((row, r) => {
    assert.deepEqual(row.filter((x) => x !== 0), [1], "one-hot");
    assert.equal(row.indexOf(1), z[r].indexOf(Math.max(...z[r])));
  });
  const st = tf.grad((l: tf.Tensor) =>
    tf.sum(tf.mul(gumbelSoftmaxST(l as tf.Tensor2D, { tau, seed: 1, noise }), w))
  )(logits).arraySync() as number[][];
  // finite differences of the soft surrogate sum(w * softmax((l + g) / tau))
  const soft = (l: number[][]) =>
    tf.tidy(() =>
      tf.sum(tf.mul(tf.softmax(tf.div(tf.add(tf.tensor2d(l), noise), tau)), w)).dataSync()[0]
    );
  const l0 = logits.arraySync(), eps = 1e-3;
  l0.forEach((row, r) =>
    row.forEach((_, c) => {
      const up = l0.map((x) => [...x]), down = l0.map((x) => [...x]);
      up[r][c] += eps;
      down[r][c] -= eps;
      const fd = (soft(up) - soft(down)) / (2 * eps);
      assert.ok(Math.abs(fd - st[r][c]) < 2e-3, `d/dl[${r}][${c}]: ${st[r][c]} vs ${fd}`);
    })
  );
  // excluded tokens are never chosen
  const allowed = tf.tensor1d([1, 1, 0, 1, 1]);
  const masked = gumbelSoftmaxST(logits, { seed: 3, allowed }).arraySync();
  for (const row of masked) assert.equal(row[2], 0);
  assert.throws(() => gumbelSoftmaxST(logits, { tau: 0, seed: 1 }), /tau/);
  tf.dispose([logits, noise, w, y, allowed]);
});

Deno.test("gumbel noise: uniforms of exactly 0 or 1 give finite noise and finite gradients", () => {
  const u = tf.tensor2d([[0, 1, 0.5, 1 - 1e-9]]);
  const g = gumbelNoiseFrom(u);
  assert.ok([...g.dataSync()].every(Number.isFinite), `${g.dataSync()}`);
  const logits = tf.tensor2d([[0.1, 2, -1, 0.3]]);
  const grad = tf.grad((l: tf.Tensor) =>
    tf.sum(
      tf.mul(gumbelSoftmaxST(l as tf.Tensor2D, { seed: 0, noise: g as tf.Tensor2D }), [1, 2, 3, 4]),
    )
  )(logits);
  assert.ok([...grad.dataSync()].every(Number.isFinite), `${grad.dataSync()}`);
  tf.dispose([u, g, logits, grad]);
});

Deno.test("maskTokens: about 30% of the non-special attended tokens, seeded", () => {
  const [b] = batches();
  const specialIds = new Set([0, 1]);
  const m = maskTokens(b, { rate: 0.3, prng: Prng.fromSeed(5), specialIds, maskId: V - 1 });
  const again = maskTokens(b, { rate: 0.3, prng: Prng.fromSeed(5), specialIds, maskId: V - 1 });
  assert.deepEqual(m.positions, again.positions);
  let eligible = 0;
  b.inputIds.forEach((id, q) => (b.attentionMask[q] && !specialIds.has(id) ? eligible++ : 0));
  const share = m.positions.length / eligible;
  assert.ok(share > 0.15 && share < 0.45, `share ${share}`);
  for (const q of m.positions) {
    assert.equal(m.masked.inputIds[q], V - 1);
    assert.ok(b.attentionMask[q] === 1 && !specialIds.has(b.inputIds[q]));
  }
  assert.equal(b.inputIds.filter((x) => x === V - 1).length, 0, "the input is not modified");
});

Deno.test("MATE-KD's generator phase raises the teacher-student divergence", async () => {
  // teacher and student fitted a little on the labels, so that their outputs depend on the input
  // (at initialisation both are near uniform and D is ln 2 whatever the input)
  const teacher = classifier(1), student = classifier(2, 8);
  const data = batches();
  const supervised = { objective: { kl: { weight: 0 }, ce: { weight: 1 } }, learningRate: 1e-2 };
  await distill(null, teacher, { train: data }, { ...supervised, maxSteps: 40, seed: 1 });
  await distill(null, student, { train: data }, { ...supervised, maxSteps: 8, seed: 2 });
  const generator = createBertForMaskedLM(bert(3), { seed: 3 });
  const mate = mateKd({ generator, vocab: VOCAB, generatorLearningRate: 5e-2, seed: 4 });
  // control: the same generator, masks and noise (same seeds), learning rate 0
  const frozen = createBertForMaskedLM(bert(3), { seed: 3 });
  const control = mateKd({ generator: frozen, vocab: VOCAB, generatorLearningRate: 0, seed: 4 });
  const curve = [mate.generatorPhase(data, teacher, student)];
  const flat = [control.generatorPhase(data, teacher, student)];
  const before = tf.memory().numTensors; // after the optimizers created their slots
  for (let i = 1; i < 8; i++) {
    curve.push(mate.generatorPhase(data, teacher, student));
    flat.push(control.generatorPhase(data, teacher, student));
  }
  assert.equal(tf.memory().numTensors, before, "no tensors left behind by generator phases");
  const show = (xs: number[]) => xs.map((d) => d.toFixed(4)).join(" ");
  for (let i = 3; i < 8; i++) {
    assert.ok(curve[i] > flat[i] + 0.005, `trained ${show(curve)} vs frozen ${show(flat)}`);
  }
  control.dispose();
  frozen.dispose();
  const ids = mate.perturbedIds(data[0]);
  assert.equal(ids.length, data[0].inputIds.length);
  assert.ok(ids.some((x, q) => x !== data[0].inputIds[q]), "some tokens were rewritten");
  mate.dispose();
  tf.dispose([...teacher.params.values(), ...student.params.values()]);
  generator.dispose();
});

Deno.test("distill + augmenter: step-1 loss = 1/3 CE + 1/3 D(x) + 1/3 D(x'), by hand", async () => {
  const teacher = classifier(1), student = classifier(2, 8);
  const [batch] = batches();
  // a fixed perturbation: positions 1 and 2 of row 0 become token 7 and 9
  const positions = Int32Array.from([1, 2]);
  const onehotOf = () => tf.oneHot(tf.tensor1d([7, 9], "int32"), V).toFloat() as tf.Tensor2D;
  const fixed: DistillAugmenter = {
    name: "fixed",
    weight: 1 / 3,
    prepare: (): WordReplacement => ({ positions, onehot: onehotOf() }),
    dispose: () => {},
  };
  // expected, by hand from plain forward passes (dropout is 0 in these configs)
  const logitsOf = (m: Classifier, r?: WordReplacement) =>
    m.forward(batch, { wordReplacement: r }).logits.arraySync() as number[][];
  const r = { positions, onehot: onehotOf() };
  const [t, s, tp, sp] = [
    logitsOf(teacher),
    logitsOf(student),
    logitsOf(teacher, r),
    logitsOf(student, r),
  ];
  r.onehot.dispose();
  const logSoftmax = (z: number[]) => {
    const m = Math.max(...z), lse = m + Math.log(z.reduce((a, x) => a + Math.exp(x - m), 0));
    return z.map((x) => x - lse);
  };
  const softCE = (sl: number[][], tl: number[][]) =>
    sl.reduce((a, row, i) => {
      const ls = logSoftmax(row), pt = logSoftmax(tl[i]).map(Math.exp);
      return a - pt.reduce((b, p, j) => b + p * ls[j], 0);
    }, 0) / sl.length;
  const ce = s.reduce((a, row, i) => a - logSoftmax(row)[batch.labels![i]], 0) / s.length;
  const expected = (ce + softCE(s, t) + softCE(sp, tp)) / 3;
  let seen: { loss: number; parts: Record<string, number> } | null = null;
  await distill(teacher, student, { train: [batch] }, {
    objective: mateObjective(),
    augmenter: fixed,
    maxSteps: 1,
    onProgress: (p) => (seen ??= { loss: p.loss, parts: p.parts }),
  });
  assert.ok(Math.abs(seen!.loss - expected) < 1e-4, `${seen!.loss} vs ${expected}`);
  assert.ok(Math.abs(seen!.parts.adversarial - softCE(sp, tp)) < 1e-4);
  await assert.rejects(
    distill(null, student, { train: [batch] }, {
      objective: { kl: { weight: 0 }, ce: { weight: 1 } },
      augmenter: fixed,
    }),
    /needs the live teacher/,
  );
  tf.dispose([...teacher.params.values(), ...student.params.values()]);
});

Deno.test("distill with MATE-KD phases: no tensor growth, history per phase", async () => {
  const teacher = classifier(1), student = classifier(2, 8);
  const generator = createBertForMaskedLM(bert(3), { seed: 3 });
  const data = batches();
  const before = tf.memory().numTensors;
  const mate = mateKd({ generator, vocab: VOCAB, generatorSteps: 2, studentSteps: 3, seed: 1 });
  const summary = await distill(teacher, student, { train: data }, {
    objective: mateObjective(),
    augmenter: mate,
    maxSteps: 7,
    seed: 2,
  });
  mate.dispose();
  assert.equal(summary.steps, 7);
  assert.deepEqual(mate.history.map((h) => h.step), [1, 4, 7]);
  assert.ok(summary.partNames.includes("adversarial"));
  for (const p of summary.lossCurve) assert.ok(Number.isFinite(p.parts.adversarial));
  assert.equal(tf.memory().numTensors, before, "no tensors left behind by the loop");
  tf.dispose([...teacher.params.values(), ...student.params.values()]);
  generator.dispose();
});

Deno.test("random-token KD: ordinary tokens at ~30% of positions, seeded", async () => {
  const data = batches();
  const a = randomTokenKd({ vocab: VOCAB, seed: 3 }).perturbedIds(data[0]);
  const b = randomTokenKd({ vocab: VOCAB, seed: 3 }).perturbedIds(data[0]);
  assert.deepEqual(a, b);
  let changed = 0;
  a.forEach((id, q) => {
    if (id !== data[0].inputIds[q]) {
      changed++;
      assert.ok(id !== 0 && id !== 1 && id !== V - 1, "never a special token");
      assert.ok(data[0].attentionMask[q] === 1);
    }
  });
  assert.ok(changed > 0);
  const teacher = classifier(1), student = classifier(2, 8);
  const before = tf.memory().numTensors;
  const summary = await distill(teacher, student, { train: data }, {
    objective: mateObjective(),
    augmenter: randomTokenKd({ vocab: VOCAB, seed: 1 }),
    maxSteps: 3,
  });
  assert.ok(summary.lossCurve.every((p) => Number.isFinite(p.parts.adversarial)));
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([...teacher.params.values(), ...student.params.values()]);
});

Deno.test("embedding PGD KD: ascent raises D(T(x), S(x + delta)), in the loop", async () => {
  const teacher = classifier(1), student = classifier(2, 8);
  const data = batches();
  const supervised = { objective: { kl: { weight: 0 }, ce: { weight: 1 } }, learningRate: 1e-2 };
  await distill(null, teacher, { train: data }, { ...supervised, maxSteps: 40, seed: 1 });
  await distill(null, student, { train: data }, { ...supervised, maxSteps: 8, seed: 2 });
  const pgd = embeddingPgdKd({ steps: 4, epsilon: 1, seed: 1 });
  const before = tf.memory().numTensors;
  const delta = pgd.perturb(data[0], teacher, student);
  const ascent = pgd.lastAscent;
  assert.ok(ascent.at(-1)! > ascent[0], `ascent ${ascent.map((d) => d.toFixed(4)).join(" ")}`);
  // padding rows are not perturbed
  const d = delta.arraySync() as number[][];
  data[0].attentionMask.forEach((m, q) => m === 0 && assert.ok(d[q].every((x) => x === 0)));
  delta.dispose();
  assert.equal(tf.memory().numTensors, before, "perturb leaves nothing behind");
  const summary = await distill(teacher, student, { train: data }, {
    objective: mateObjective(),
    augmenter: pgd,
    maxSteps: 3,
  });
  assert.ok(summary.lossCurve.every((p) => Number.isFinite(p.parts.adversarial)));
  assert.equal(tf.memory().numTensors, before, "no tensors left behind by the loop");
  tf.dispose([...teacher.params.values(), ...student.params.values()]);
});

Deno.test("distill exampleWeights: step-1 logit losses are mean(w_i l_i), checked", async () => {
  const teacher = classifier(1), student = classifier(2, 8);
  const [batch] = batches();
  const first = async (exampleWeights?: (ix: readonly number[]) => ArrayLike<number>) => {
    const s = classifier(2, 8);
    const summary = await distill(teacher, s, { train: [batch] }, {
      objective: mateObjective(),
      maxSteps: 1,
      ...(exampleWeights ? { exampleWeights } : {}),
    });
    tf.dispose([...s.params.values()]);
    return summary.lossCurve[0].parts;
  };
  const plain = await first();
  const doubled = await first((ix) => ix.map(() => 2));
  for (const k of ["softCE", "ce"]) {
    assert.ok(Math.abs(doubled[k] - 2 * plain[k]) < 1e-5, `${k}: ${doubled[k]} vs 2 x ${plain[k]}`);
  }
  // only example 0 of the batch counts: the loss is its own loss / batch size
  const one = await first((ix) => ix.map((_, r) => (r === 0 ? batch.batchSize : 0)));
  assert.ok(one.ce > 0 && Math.abs(one.ce - plain.ce) > 1e-6);
  await assert.rejects(
    first((ix) => ix.map(() => -1)),
    /step 1: example \d+ has weight -1; need >= 0/,
  );
  await assert.rejects(first(() => [1]), /exampleWeights gave 1 weights for 8 examples/);
  tf.dispose([...teacher.params.values(), ...student.params.values()]);
});

Deno.test("distill auxiliary: the domain-adversarial head trains beside the student", async () => {
  const student = classifier(2, 8);
  const [batch] = batches();
  const atStart = tf.memory().numTensors;
  const head = domainAdversarial({
    hidden: 8,
    numDomains: 2,
    domainOf: (i) => i % 2,
    seed: 3,
  });
  const before = [...head.variables.values()].map((v) => [...v.dataSync()]);
  const tensors = tf.memory().numTensors;
  const summary = await distill(null, student, { train: [batch] }, {
    objective: { kl: { weight: 0 }, ce: { weight: 1 } },
    maxSteps: 2,
    auxiliary: head,
  });
  const first = summary.lossCurve[0].parts.auxiliary;
  assert.ok(Math.abs(first - Math.log(2)) < 0.05, `domain CE at step 1 ${first} ~ ln 2`);
  const after = [...head.variables.values()].map((v) => [...v.dataSync()]);
  assert.notDeepEqual(after, before, "the head's variables were updated");
  assert.equal(tf.memory().numTensors, tensors, "no tensor growth");
  head.dispose();
  assert.equal(tf.memory().numTensors, atStart, "the head leaves nothing behind");
  tf.dispose([...student.params.values()]);
});
