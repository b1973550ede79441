import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { testBackend } from "./_test_backend.ts";
import { loadHuggingFaceBert } from "./hf_import.ts";
import { parseBertConfig } from "./config.ts";
import { stateDictOf } from "./_state_dict.ts";
import { referenceBertLogits, type StateDict } from "./_reference_bert.ts";
import { Prng } from "../random/mod.ts";
import { makeBatch, maxAbsDiff } from "./_test_util.ts";

await testBackend();

const config = {
  architectures: ["BertForSequenceClassification"],
  model_type: "bert",
  vocab_size: 30,
  hidden_size: 8,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  intermediate_size: 12,
  max_position_embeddings: 10,
  type_vocab_size: 2,
  hidden_act: "gelu",
  layer_norm_eps: 1e-12,
  id2label: { 0: "NEG", 1: "POS" },
  transformers_version: "4.40.0",
};
const rows = [[1, 4, 5, 6, 2], [1, 9, 2]];

/** HF names and [out, in] shapes of a 1-layer BertForSequenceClassification. */
function hfShapes(prefix: string, old: boolean, withHeads: boolean): [string, number[]][] {
  const ln = (
    n: string,
  ): [string, number[]][] => [[`${n}.${old ? "gamma" : "weight"}`, [8]], [
    `${n}.${old ? "beta" : "bias"}`,
    [8],
  ]];
  const lin = (
    n: string,
    o: number,
    i: number,
  ): [string, number[]][] => [[`${n}.weight`, [o, i]], [`${n}.bias`, [o]]];
  const l = `${prefix}encoder.layer.0`;
  const s: [string, number[]][] = [
    [`${prefix}embeddings.word_embeddings.weight`, [30, 8]],
    [`${prefix}embeddings.position_embeddings.weight`, [10, 8]],
    [`${prefix}embeddings.token_type_embeddings.weight`, [2, 8]],
    ...ln(`${prefix}embeddings.LayerNorm`),
    ...lin(`${l}.attention.self.query`, 8, 8),
    ...lin(`${l}.attention.self.key`, 8, 8),
    ...lin(`${l}.attention.self.value`, 8, 8),
    ...lin(`${l}.attention.output.dense`, 8, 8),
    ...ln(`${l}.attention.output.LayerNorm`),
    ...lin(`${l}.intermediate.dense`, 12, 8),
    ...lin(`${l}.output.dense`, 8, 12),
    ...ln(`${l}.output.LayerNorm`),
  ];
  if (withHeads) s.push(...lin(`${prefix}pooler.dense`, 8, 8), ...lin("classifier", 2, 8));
  return s;
}

/** Writes header JSON + raw little-endian float32 data by hand (no project writer involved). */
async function writeHandMade(
  dir: string,
  shapes: [string, number[]][],
  extra: Record<string, { dtype: string; bytes: Uint8Array; shape: number[] }> = {},
) {
  const prng = Prng.fromSeed(42);
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    const isLnWeight = /LayerNorm\.(weight|gamma)$/.test(name);
    const data = Float32Array.from({ length: n }, () => (isLnWeight ? 1 : 0) + 0.3 * prng.normal());
    values.set(name, { shape, data });
    const bytes = new Uint8Array(4 * n);
    const dv = new DataView(bytes.buffer);
    data.forEach((v, i) => dv.setFloat32(4 * i, v, true));
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  for (const [name, e] of Object.entries(extra)) {
    header[name] = {
      dtype: e.dtype,
      shape: e.shape,
      data_offsets: [offset, offset + e.bytes.length],
    };
    chunks.push(e.bytes);
    offset += e.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const file = new Uint8Array(8 + json.length + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(json.length), true);
  file.set(json, 8);
  let pos = 8 + json.length;
  for (const c of chunks) {
    file.set(c, pos);
    pos += c.length;
  }
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(`${dir}/model.safetensors`, file);
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(config));
  await Deno.writeTextFile(
    `${dir}/vocab.txt`,
    Array.from({ length: 30 }, (_, i) => `tok${i}`).join("\n") + "\n",
  );
  return values;
}

Deno.test(
  "a hand-written HF safetensors (BertForSequenceClassification names, [out, in]) " +
    "gives the reference logits",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const values = await writeHandMade(dir, hfShapes("bert.", false, true));
      const { model, report } = await loadHuggingFaceBert(dir);
      assert.deepEqual(report.initialised, []);
      assert.deepEqual(report.unexpected, []);
      assert.equal(report.vocabTokens, 30);
      assert.equal(model.numLabels, 2, "num_labels from id2label");
      const ref = referenceBertLogits(
        values as StateDict,
        parseBertConfig(config),
        rows,
        rows.map((r) => r.map(() => 1)),
      );
      const got = model.forward(makeBatch(rows)).logits;
      assert.ok(
        maxAbsDiff(got.dataSync(), ref.flat()) < 1e-4,
        `diff ${maxAbsDiff(got.dataSync(), ref.flat())}`,
      );
      got.dispose();
      model.dispose();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  "BertModel names (no bert. prefix), LayerNorm.gamma/beta, " +
    "missing heads and extra tensors are handled and reported",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const posIds = new Uint8Array(80); // int64 position_ids buffer as old checkpoints carry
      for (let i = 0; i < 10; i++) new DataView(posIds.buffer).setBigInt64(8 * i, BigInt(i), true);
      const values = await writeHandMade(dir, hfShapes("", true, false), {
        "embeddings.position_ids": { dtype: "I64", shape: [1, 10], bytes: posIds },
        "cls.seq_relationship.bias": { dtype: "F32", shape: [2], bytes: new Uint8Array(8) },
      });
      const { model, report } = await loadHuggingFaceBert(dir, { seed: 9 });
      assert.deepEqual(report.initialised, [
        "bert.pooler.dense.weight",
        "bert.pooler.dense.bias",
        "classifier.weight",
        "classifier.bias",
      ]);
      assert.deepEqual(report.unexpected.sort(), [
        "cls.seq_relationship.bias",
        "embeddings.position_ids",
      ]);
      assert.equal(
        report.renamed["embeddings.LayerNorm.gamma"],
        "bert.embeddings.LayerNorm.weight",
      );
      // reference: the file's values plus the heads the loader initialised
      const sd: StateDict = new Map(values);
      for (const [k, v] of stateDictOf(model.params)) {
        if (/^(bert\.pooler|classifier)/.test(k)) sd.set(k, v);
      }
      for (const [k, v] of values) {
        sd.set(k.replace(/gamma$/, "weight").replace(/beta$/, "bias"), v);
      }
      const ref = referenceBertLogits(
        sd,
        parseBertConfig(config),
        rows,
        rows.map((r) => r.map(() => 1)),
      );
      const got = model.forward(makeBatch(rows)).logits;
      assert.ok(maxAbsDiff(got.dataSync(), ref.flat()) < 1e-4);
      got.dispose();
      model.dispose();
      // the MLM task on the same file initialises the MLM head
      const mlm = await loadHuggingFaceBert(dir, { task: "mlm" });
      assert.deepEqual(mlm.report.initialised, [
        "cls.predictions.transform.dense.weight",
        "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight",
        "cls.predictions.transform.LayerNorm.bias",
        "cls.predictions.bias",
      ]);
      const logits = mlm.model.mlmLogits(makeBatch(rows));
      assert.deepEqual(logits.shape, [2, 5, 30]);
      logits.dispose();
      mlm.model.dispose();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  "HF import errors: missing encoder tensor, " +
    "classifier size mismatch (unless numLabels), wrong model_type",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      await writeHandMade(
        `${dir}/a`,
        hfShapes("bert.", false, true).filter(([n]) => !n.includes("intermediate.dense.bias")),
      );
      await assert.rejects(
        loadHuggingFaceBert(`${dir}/a`),
        /1 encoder tensors missing \(bert\.encoder\.layer\.0\.intermediate\.dense\.bias\)/,
      );
      await writeHandMade(`${dir}/b`, hfShapes("bert.", false, true));
      const before = tf.memory().numTensors;
      await assert.rejects(
        loadHuggingFaceBert(`${dir}/b`, { task: "classifier", numLabels: undefined }).then(
          async (r) => {
            r.model.dispose();
            await Deno.writeTextFile(
              `${dir}/b/config.json`,
              JSON.stringify({ ...config, id2label: undefined, num_labels: 5 }),
            );
            return loadHuggingFaceBert(`${dir}/b`);
          },
        ),
        /classifier\.weight" has shape \[2,8\] but config has num_labels 5/,
      );
      assert.equal(tf.memory().numTensors, before, "failed loads free their variables");
      const { model, report } = await loadHuggingFaceBert(`${dir}/b`, { numLabels: 4 });
      assert.equal(model.numLabels, 4);
      assert.deepEqual(report.initialised, ["classifier.weight", "classifier.bias"]);
      model.dispose();
      await Deno.writeTextFile(
        `${dir}/b/config.json`,
        JSON.stringify({ ...config, model_type: "roberta" }),
      );
      await assert.rejects(loadHuggingFaceBert(`${dir}/b`), /only "bert" is supported/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
