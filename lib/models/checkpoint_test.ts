import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { testBackend } from "./_test_backend.ts";
import { createBert, createBertClassifier } from "./bert.ts";
import { createBiLstmClassifier } from "./bilstm.ts";
import { loadCheckpoint, saveCheckpoint, sha256Hex } from "./checkpoint.ts";
import { readSafetensors } from "./safetensors.ts";
import { loadHuggingFaceBert } from "./hf_import.ts";
import { makeBatch, maxAbsDiff, realVocabPath } from "./_test_util.ts";

await testBackend();

const cfg = {
  vocab_size: 30522,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 32,
  max_position_embeddings: 32,
  num_labels: 3,
};
// [CLS] the movie was great [SEP] / [CLS] bad [SEP] in the real vocabulary
const batch = makeBatch([[101, 1996, 3185, 2001, 2307, 102], [101, 2919, 102]]);

Deno.test(
  "saveCheckpoint writes an HF-loadable folder; " +
    "loadCheckpoint gives identical logits (F32) and close ones (F16)",
  async () => {
    const dir = await Deno.makeTempDir();
    const m = createBert(cfg, { seed: 7, heads: { classifier: true, mlm: true } });
    try {
      const manifest = await saveCheckpoint(m, `${dir}/f32`, {
        vocabPath: realVocabPath(),
        manifest: {
          command: "deno task teacher --seed 7",
          gitCommit: "abc123",
          metrics: { acc: 0.5 },
        },
      });
      assert.deepEqual(Object.keys(manifest.files), [
        "config.json",
        "model.safetensors",
        "vocab.txt",
      ]);
      assert.equal(manifest.command, "deno task teacher --seed 7");
      assert.equal(manifest.gitCommit, "abc123");
      assert.equal(manifest.files["vocab.txt"], sha256Hex(await Deno.readFile(realVocabPath())));
      const hfConfig = JSON.parse(await Deno.readTextFile(`${dir}/f32/config.json`));
      assert.equal(hfConfig.model_type, "bert");
      assert.deepEqual(hfConfig.architectures, [
        "BertForSequenceClassification",
        "BertForMaskedLM",
      ]);
      assert.equal(hfConfig.hidden_size, 16);
      const st = await readSafetensors(`${dir}/f32/model.safetensors`);
      assert.equal(st.metadata.format, "pt");
      assert.deepEqual(st.tensors.get("classifier.weight")!.shape, [3, 16], "HF [out, in] layout");
      assert.deepEqual(st.tensors.get("bert.encoder.layer.0.intermediate.dense.weight")!.shape, [
        32,
        16,
      ]);
      assert.equal(
        st.tensors.has("cls.predictions.decoder.weight"),
        false,
        "tied decoder not stored",
      );

      const want = m.forward(batch).logits;
      const { model: back } = await loadCheckpoint(`${dir}/f32`);
      const got = back.forward(batch).logits;
      assert.deepEqual(got.dataSync(), want.dataSync());
      assert.deepEqual((back as typeof m).heads, { classifier: true, mlm: true });

      await saveCheckpoint(m, `${dir}/f16`, { dtype: "F16", vocabPath: null });
      const { model: half, manifest: mh } = await loadCheckpoint(`${dir}/f16`);
      assert.equal(mh.dtype, "F16");
      const gotHalf = half.forward(batch).logits;
      assert.ok(maxAbsDiff(gotHalf.dataSync(), want.dataSync()) < 1e-2);
      // the same folder also loads through the Hugging Face importer
      const { model: viaHf, report } = await loadHuggingFaceBert(`${dir}/f32`, {
        task: "classifier",
      });
      assert.deepEqual(report.initialised, []);
      assert.equal(report.vocabTokens, 30522);
      assert.ok(report.unexpected.every((n) => n.startsWith("cls.predictions.")));
      const gotHf = viaHf.forward(batch).logits;
      assert.deepEqual(gotHf.dataSync(), want.dataSync());
      tf.dispose([want, got, gotHalf, gotHf]);
      [back, half, viaHf].forEach((x) => x.dispose());
    } finally {
      m.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("loadCheckpoint refuses a folder whose files changed or went missing", async () => {
  const dir = await Deno.makeTempDir();
  const m = createBertClassifier({ ...cfg, vocab_size: 60 }, { seed: 1 });
  try {
    await saveCheckpoint(m, dir, { vocabPath: null });
    const bytes = await Deno.readFile(`${dir}/model.safetensors`);
    bytes[bytes.length - 1] ^= 1;
    await Deno.writeFile(`${dir}/model.safetensors`, bytes);
    await assert.rejects(loadCheckpoint(dir), /model\.safetensors changed since it was saved/);
    await Deno.remove(`${dir}/model.safetensors`);
    await assert.rejects(
      loadCheckpoint(dir),
      /model\.safetensors is listed in manifest\.json but missing/,
    );
    await assert.rejects(
      saveCheckpoint(m, `${dir}/x`, { vocabPath: realVocabPath() }),
      /has 30522 tokens but the model's vocab_size is 60/,
    );
    await assert.rejects(loadCheckpoint(`${dir}/nope`), /manifest\.json unreadable/);
  } finally {
    m.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BiLSTM checkpoint round trip (PyTorch nn.LSTM layouts)", async () => {
  const dir = await Deno.makeTempDir();
  const m = createBiLstmClassifier({
    vocab_size: 30522,
    embedding_dim: 8,
    hidden_size: 4,
    fc_hidden: 6,
    num_labels: 2,
  }, { seed: 2 });
  try {
    await saveCheckpoint(m, dir, { vocabPath: realVocabPath() });
    const st = await readSafetensors(`${dir}/model.safetensors`);
    assert.deepEqual(st.tensors.get("lstm.weight_ih_l0")!.shape, [16, 8], "PyTorch [4H, in]");
    const { model: back } = await loadCheckpoint(dir);
    assert.equal(back.kind, "bilstm");
    const a = m.forward(batch).logits, b = back.forward(batch).logits;
    assert.deepEqual(a.dataSync(), b.dataSync());
    tf.dispose([a, b]);
    back.dispose();
  } finally {
    m.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "factorised-embedding, mean-pooled BERT checkpoint round trip: " +
    "config fields, HF layouts, same logits",
  async () => {
    const dir = await Deno.makeTempDir();
    const m = createBertClassifier({ ...cfg, embedding_size: 4, pooling: "mean" }, { seed: 9 });
    try {
      await saveCheckpoint(m, dir, { vocabPath: realVocabPath(), manifest: { command: "test" } });
      const hfConfig = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
      assert.equal(hfConfig.embedding_size, 4);
      assert.equal(hfConfig.pooling, "mean");
      const st = await readSafetensors(`${dir}/model.safetensors`);
      assert.deepEqual(st.tensors.get("bert.embeddings.word_embeddings.weight")!.shape, [30522, 4]);
      assert.deepEqual(
        st.tensors.get("bert.embeddings.word_embeddings_projection.weight")!.shape,
        [16, 4],
        "the projection is stored as an nn.Linear, [out, in]",
      );
      const back = (await loadCheckpoint(dir)).model;
      const a = m.forward(batch).logits, b = back.forward(batch).logits;
      assert.ok(maxAbsDiff(a.dataSync(), b.dataSync()) < 1e-6);
      tf.dispose([a, b]);
      back.dispose();
    } finally {
      m.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
