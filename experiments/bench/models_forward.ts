/**
 * Forward and training-step timings of lib/models' classifiers on the current backend.
 * Run: `deno run --allow-read=. --allow-env=ROSEARCH_BACKEND experiments/bench/models_forward.ts
 * [reps]`. Batch 32 x 64 tokens, vocab 30,522, dropout on in training. Uses lib/backend's
 * `initBackend()` (wasm + its fixes on CPU).
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/mod.ts";
import {
  type Classifier,
  createBertClassifier,
  createBiLstmClassifier,
} from "../../lib/models/mod.ts";
import type { EncodedBatch } from "../../lib/data/mod.ts";

await initBackend();
const reps = Number(Deno.args[0] ?? 5);
const B = 32, S = 64, V = 30522;

function batch(): EncodedBatch {
  const ids = new Int32Array(B * S), mask = new Int32Array(B * S);
  for (let r = 0; r < B; r++) {
    const len = 20 + ((r * 7) % (S - 20));
    for (let c = 0; c < S; c++) {
      ids[r * S + c] = c < len ? (c === 0 ? 101 : 1000 + ((r * 131 + c * 17) % 20000)) : 0;
      mask[r * S + c] = c < len ? 1 : 0;
    }
  }
  return {
    batchSize: B,
    seqLen: S,
    inputIds: ids,
    tokenTypeIds: new Int32Array(B * S),
    attentionMask: mask,
    labels: Int32Array.from({ length: B }, (_, i) => i % 2),
    indices: [],
  };
}

function time(f: () => void): number {
  f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

function bench(name: string, m: Classifier): void {
  const b = batch();
  const fwd = time(() => {
    const o = m.forward(b);
    o.logits.dataSync();
    tf.dispose(o as unknown as tf.Tensor[]);
  });
  const opt = tf.train.adam(1e-4);
  const vars = [...m.params.values()];
  const labels = tf.oneHot(tf.tensor1d(b.labels!, "int32"), m.numLabels);
  let seed = 0;
  const grads = time(() => {
    const g = tf.variableGrads(() => {
      const o = m.forward(b, { training: true, seed: seed++ });
      return tf.losses.softmaxCrossEntropy(labels, o.logits) as tf.Scalar;
    }, vars);
    g.value.dataSync();
    tf.dispose([g.value, ...Object.values(g.grads)]);
  });
  const step = time(() => {
    const cost = opt.minimize(
      () => {
        const o = m.forward(b, { training: true, seed: seed++ });
        return tf.losses.softmaxCrossEntropy(labels, o.logits) as tf.Scalar;
      },
      true,
      vars,
    );
    cost!.dataSync();
    cost!.dispose();
  });
  labels.dispose();
  opt.dispose();
  console.log(
    `${name}: params ${(m.countParams() / 1e6).toFixed(2)}M, forward ${
      fwd.toFixed(0)
    } ms, fwd+bwd ${grads.toFixed(0)} ms, train step (fwd+bwd+adam) ${step.toFixed(0)} ms`,
  );
  m.dispose();
}

const base = { vocab_size: V, num_hidden_layers: 4, max_position_embeddings: 512, num_labels: 2 };
bench(
  "BERT teacher L4 H256 A4 F1024",
  createBertClassifier({
    ...base,
    hidden_size: 256,
    num_attention_heads: 4,
    intermediate_size: 1024,
  }, { seed: 1 }),
);
bench(
  "BERT student L4 H128 A2 F512",
  createBertClassifier({
    ...base,
    hidden_size: 128,
    num_attention_heads: 2,
    intermediate_size: 512,
  }, { seed: 1 }),
);
bench(
  "BiLSTM E300 H150 FC400",
  createBiLstmClassifier({ vocab_size: V, num_labels: 2 }, { seed: 1 }),
);
