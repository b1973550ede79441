import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { testBackend } from "./_test_backend.ts";
import { createBert, createBertClassifier, createBertForMaskedLM } from "./bert.ts";
import { stateDictOf } from "./_state_dict.ts";
import { isTransposedParam } from "./_layout.ts";
import { referenceBertLogits } from "./_reference_bert.ts";
import { makeBatch, maxAbsDiff } from "./_test_util.ts";

await testBackend();

const tiny = {
  vocab_size: 50,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  intermediate_size: 24,
  max_position_embeddings: 16,
  type_vocab_size: 2,
  num_labels: 3,
};
const rows = [[2, 7, 9, 11, 3], [2, 5, 3], [2, 40, 41, 42, 43, 44, 3]];

Deno.test("BERT classifier matches a plain-JS reference forward (HF semantics and layouts)", () => {
  const m = createBertClassifier(tiny, { seed: 11 });
  try {
    const batch = makeBatch(rows, { types: rows.map((r) => r.map((_, i) => (i > 2 ? 1 : 0))) });
    const out = m.forward(batch);
    const ref = referenceBertLogits(
      stateDictOf(m.params),
      m.config,
      rows,
      rows.map((r) => r.map(() => 1)),
      rows.map((r) => r.map((_, i) => (i > 2 ? 1 : 0))),
    );
    assert.ok(
      maxAbsDiff(out.logits.dataSync(), ref.flat()) < 1e-4,
      `diff ${maxAbsDiff(out.logits.dataSync(), ref.flat())}`,
    );
    tf.dispose(out.logits);
  } finally {
    m.dispose();
  }
});

Deno.test(
  'BERT pooling "mean" matches the reference (mean of real tokens) ' +
    "and ignores padding",
  () => {
    const m = createBertClassifier({ ...tiny, pooling: "mean" }, { seed: 12 });
    const cls = createBertClassifier(tiny, { seed: 12 });
    try {
      const out = m.forward(makeBatch(rows, { seqLen: 9 }));
      const ref = referenceBertLogits(
        stateDictOf(m.params),
        m.config,
        rows,
        rows.map((r) => r.map(() => 1)),
      );
      const diff = maxAbsDiff(out.logits.dataSync(), ref.flat());
      assert.ok(diff < 1e-4, `diff ${diff}`);
      const alone = m.forward(makeBatch([rows[2]]));
      assert.ok(maxAbsDiff(alone.logits.dataSync(), out.logits.dataSync().slice(6, 9)) < 1e-5);
      // same weights, [CLS] pooling: different logits (the option is really used)
      const viaCls = cls.forward(makeBatch(rows, { seqLen: 9 }));
      assert.ok(maxAbsDiff(viaCls.logits.dataSync(), out.logits.dataSync()) > 1e-3);
      tf.dispose([out.logits, alone.logits, viaCls.logits]);
    } finally {
      m.dispose();
      cls.dispose();
    }
  },
);

Deno.test(
  "BERT factorised embeddings (embedding_size < hidden): reference forward, " +
    "sizes, checkpoint names",
  () => {
    const m = createBertClassifier({ ...tiny, embedding_size: 5 }, { seed: 21 });
    try {
      assert.deepEqual(m.params.get("bert.embeddings.word_embeddings.weight")!.shape, [50, 5]);
      assert.deepEqual(
        m.params.get("bert.embeddings.word_embeddings_projection.weight")!.shape,
        [5, 16],
      );
      const full = createBertClassifier(tiny, { seed: 21 });
      assert.equal(full.countParams() - m.countParams(), 50 * 16 - (50 * 5 + 5 * 16 + 16));
      full.dispose();
      // HF layout: the projection is a Linear, stored [out, in]; every other "embedding" name keeps
      // its layout (searched students' embeddings.* checkpoints were written that way)
      assert.equal(isTransposedParam("bert.embeddings.word_embeddings_projection.weight"), true);
      for (
        const name of [
          "bert.embeddings.word_embeddings.weight",
          "embedding.weight",
          "embeddings.word.weight",
          "embeddings.position.weight",
          "embeddings.projection.weight",
        ]
      ) assert.equal(isTransposedParam(name), false, name);
      const sd = stateDictOf(m.params);
      assert.deepEqual(sd.get("bert.embeddings.word_embeddings_projection.weight")!.shape, [16, 5]);
      const out = m.forward(makeBatch(rows));
      const ref = referenceBertLogits(sd, m.config, rows, rows.map((r) => r.map(() => 1)));
      const diff = maxAbsDiff(out.logits.dataSync(), ref.flat());
      assert.ok(diff < 1e-4, `diff ${diff}`);
      tf.dispose(out.logits);
      assert.throws(
        () =>
          createBert({ ...tiny, embedding_size: 5 }, {
            seed: 1,
            heads: { classifier: true, mlm: true },
          }),
        /masked-LM head is tied.*embedding_size 5 != hidden_size 16/,
      );
    } finally {
      m.dispose();
    }
  },
);

Deno.test(
  "BERT outputs: shapes, hidden states, attentions; padding and batch-mates " +
    "do not change an example",
  () => {
    const m = createBertClassifier(tiny, { seed: 1 });
    try {
      const out = m.forward(makeBatch(rows, { seqLen: 10 }), {
        outputHidden: true,
        outputAttentions: true,
      });
      assert.deepEqual(out.logits.shape, [3, 3]);
      assert.equal(out.hidden.length, 3);
      out.hidden.forEach((h) => assert.deepEqual(h.shape, [3, 10, 16]));
      assert.equal(out.attentions!.length, 2);
      assert.deepEqual(out.attentions![0].shape, [3, 4, 10, 10]);
      // attention rows sum to 1 and put ~0 weight on padded keys
      const a = out.attentions![1].dataSync() as Float32Array;
      const rowSum = a.slice(0, 10).reduce((x, y) => x + y, 0);
      assert.ok(Math.abs(rowSum - 1) < 1e-5);
      assert.ok(a.slice(5, 10).every((p) => p < 1e-6), "row 0 has 5 real tokens");
      const alone = m.forward(makeBatch([rows[1]]));
      assert.ok(maxAbsDiff(alone.logits.dataSync(), out.logits.dataSync().slice(3, 6)) < 1e-5);
      const noHidden = m.forward(makeBatch([rows[1]]));
      assert.equal(noHidden.hidden.length, 0);
      tf.dispose([out.logits, ...out.hidden, ...out.attentions!, alone.logits, noHidden.logits]);
    } finally {
      m.dispose();
    }
  },
);

Deno.test(
  "BERT init is seeded and HF-like (normal 0.02, zero biases, " +
    "LayerNorm 1, zero padding row)",
  () => {
    const a = createBertClassifier(tiny, { seed: 3 }),
      b = createBertClassifier(tiny, { seed: 3 }),
      c = createBertClassifier(tiny, { seed: 4 });
    try {
      const name = "bert.encoder.layer.1.intermediate.dense.weight";
      assert.deepEqual(a.params.get(name)!.dataSync(), b.params.get(name)!.dataSync());
      assert.notDeepEqual(a.params.get(name)!.dataSync(), c.params.get(name)!.dataSync());
      const w = createBertClassifier({ ...tiny, hidden_size: 64, intermediate_size: 256 }, {
        seed: 1,
      });
      const d = w.params.get("bert.encoder.layer.0.intermediate.dense.weight")!
        .dataSync() as Float32Array;
      const std = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
      assert.ok(Math.abs(std - 0.02) < 0.001, `std ${std}`);
      assert.ok(
        w.params.get("bert.encoder.layer.0.output.dense.bias")!.dataSync().every((v) => v === 0),
      );
      assert.ok(w.params.get("bert.embeddings.LayerNorm.weight")!.dataSync().every((v) => v === 1));
      assert.ok(
        w.params.get("bert.embeddings.word_embeddings.weight")!.dataSync().slice(0, 64).every((v) =>
          v === 0
        ),
      );
      assert.equal(w.countParams(), [...w.params.values()].reduce((s, v) => s + v.size, 0));
      w.dispose();
      assert.throws(
        () => createBertClassifier({ ...tiny, num_attention_heads: 5 }),
        /hidden_size must be divisible/,
      );
      assert.throws(
        () => createBertClassifier({ ...tiny, hidden_act: "swish" as "gelu" }),
        /hidden_act/,
      );
    } finally {
      [a, b, c].forEach((m) => m.dispose());
    }
  },
);

Deno.test("BERT dropout: seeded masks in training, none in eval; seed required", () => {
  const m = createBertClassifier(tiny, { seed: 1 });
  try {
    const batch = makeBatch(rows);
    const t1 = m.forward(batch, { training: true, seed: 5 }).logits,
      t2 = m.forward(batch, { training: true, seed: 5 }).logits;
    const t3 = m.forward(batch, { training: true, seed: 6 }).logits, e = m.forward(batch).logits;
    assert.deepEqual(t1.dataSync(), t2.dataSync());
    assert.ok(maxAbsDiff(t1.dataSync(), t3.dataSync()) > 1e-6);
    assert.ok(maxAbsDiff(t1.dataSync(), e.dataSync()) > 1e-6);
    assert.throws(() => m.forward(batch, { training: true }), /needs options.seed/);
    assert.throws(() => m.forward(makeBatch([[1, 99]])), /inputIds\[1\] = 99/);
    assert.throws(
      () => m.forward(makeBatch([[1, 2]], { seqLen: 20 })),
      /max_position_embeddings 16/,
    );
    tf.dispose([t1, t2, t3, e]);
  } finally {
    m.dispose();
  }
});

Deno.test(
  "MLM head: full and selected-position logits agree; " +
    "decoder tied to word embeddings; inputsEmbeds",
  () => {
    const m = createBertForMaskedLM(tiny, { seed: 2 });
    try {
      const batch = makeBatch(rows);
      const full = m.mlmLogits(batch);
      assert.deepEqual(full.shape, [3, 7, 50]);
      const picked = m.mlmLogitsAt(batch, [1, 7 + 2, 14 + 6]);
      assert.deepEqual(picked.shape, [3, 50]);
      const f = full.dataSync(), p = picked.dataSync();
      for (const [row, flat] of [[0, 1], [1, 9], [2, 20]]) {
        assert.ok(
          maxAbsDiff(p.slice(row * 50, row * 50 + 50), f.slice(flat * 50, flat * 50 + 50)) < 1e-5,
        );
      }
      assert.equal([...m.params.keys()].filter((k) => k.includes("decoder")).length, 0);
      const g = tf.variableGrads(() => tf.sum(m.mlmLogitsAt(batch, [1])) as tf.Scalar, [
        m.wordEmbeddings,
      ]);
      const gw = g.grads[m.wordEmbeddings.name].dataSync();
      // rows of tokens absent from the batch still get gradient through the tied decoder
      assert.ok(gw.slice(30 * 16, 31 * 16).some((v) => v !== 0));
      const emb = tf.tidy(() =>
        tf.reshape(tf.gather(m.wordEmbeddings, tf.tensor1d(batch.inputIds, "int32")), [3, 7, 16])
      ) as tf.Tensor3D;
      const viaEmbeds = m.mlmLogits(batch, { inputsEmbeds: emb });
      assert.ok(maxAbsDiff(viaEmbeds.dataSync(), f) < 1e-5);
      assert.throws(() => m.forward(batch), /needs the classifier head/);
      assert.throws(() => m.mlmLogitsAt(batch, [21]), /outside \[0, 21\)/);
      tf.dispose([full, picked, g.value, ...Object.values(g.grads), emb, viaEmbeds]);
    } finally {
      m.dispose();
    }
  },
);

Deno.test("BERT training step leaves tf.memory().numTensors unchanged (both heads)", () => {
  const m = createBert(tiny, { seed: 1, heads: { classifier: true, mlm: true } });
  const opt = tf.train.adam(1e-3);
  try {
    const batch = makeBatch(rows);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2], "int32"), 3);
    const vars = [...m.params.values()];
    const step = (seed: number) => {
      const loss = opt.minimize(
        () => {
          const out = m.forward(batch, {
            training: true,
            seed,
            outputHidden: true,
            outputAttentions: true,
          });
          const mlm = m.mlmLogitsAt(batch, [1, 2], { training: true, seed: seed + 1 });
          return tf.add(
            tf.losses.softmaxCrossEntropy(labels, out.logits),
            tf.mul(0.01, tf.sum(mlm)),
          ) as tf.Scalar;
        },
        true,
        vars,
      )!;
      const v = loss.dataSync()[0];
      loss.dispose();
      return v;
    };
    const first = step(1); // creates the optimizer slots
    const before = tf.memory().numTensors;
    step(2);
    const g = tf.variableGrads(
      () =>
        tf.losses.softmaxCrossEntropy(
          labels,
          m.forward(batch, { training: true, seed: 3 }).logits,
        ) as tf.Scalar,
      vars,
    );
    assert.equal(
      Object.keys(g.grads).length,
      vars.length - 5,
      "every non-MLM parameter gets a gradient",
    );
    tf.dispose([g.value, ...Object.values(g.grads)]);
    assert.equal(tf.memory().numTensors, before);
    let last = first;
    for (let i = 0; i < 15; i++) last = step(10 + i);
    assert.ok(last < first, `loss ${first} -> ${last}`);
    labels.dispose();
  } finally {
    m.dispose();
    opt.dispose();
  }
});
