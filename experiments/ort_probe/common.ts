/**
 * Shared by check.ts and bench.ts: loading the project's models (its own loader and backend),
 * building batches exactly as experiments/attack/throughput.ts `rawBatchThroughput` does,
 * exporting to ONNX and running onnxruntime-node.
 */
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { initBackend } from "../../lib/backend/mod.ts";
import { DEFAULT_TEACHER_DIR, KD_RESULTS_ROOT, loadVictimModel } from "../attack/setup.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { type BertTokenizer, type EncodedBatch, loadSplit } from "../../lib/data/mod.ts";
import type { Classifier } from "../../lib/models/mod.ts";
import { paddedBatch } from "../attack/throughput.ts";
import { exportBertClassifier, type ParamLike } from "./onnx_export.ts";

export { ort, tf };

export const MODELS = {
  teacher: DEFAULT_TEACHER_DIR,
  tinybert: `${KD_RESULTS_ROOT}/tinybert`,
} as const;
export type ModelName = keyof typeof MODELS;

/** Exported models (44 and 9 MB: not committed). */
export const ONNX_DIR = `${PROJECT_ROOT}runs/ort_probe`;
/** Where the scripts write their JSON (committed). */
export const RESULTS_DIR = `${PROJECT_ROOT}experiments/ort_probe/results`;

export async function setupBackend() {
  return await initBackend();
}

export async function devTexts(): Promise<string[]> {
  return (await loadSplit("sst2", "dev")).map((e) => e.text);
}

export interface Loaded {
  name: ModelName;
  model: Classifier;
  tokenizer: BertTokenizer;
  // deno-lint-ignore no-explicit-any
  config: any;
  params: Map<string, ParamLike>;
}

export async function load(name: ModelName): Promise<Loaded> {
  const { model, tokenizer } = await loadVictimModel(MODELS[name]);
  // deno-lint-ignore no-explicit-any
  const m = model as any;
  if (m.kind !== "bert") throw new Error(`${name}: not a BERT model (${m.kind})`);
  return { name, model, tokenizer, config: m.config, params: m.params };
}

/** rawBatchThroughput's batch: the texts padded to their longest, token types 0. */
export const makeBatch = paddedBatch;

/** Exports (and caches on disk) the ONNX model; returns its bytes, size and export time. */
export function exportOnnx(l: Loaded): { bytes: Uint8Array; path: string; ms: number } {
  const t = performance.now();
  const r = exportBertClassifier(l.config, l.params);
  const ms = performance.now() - t;
  Deno.mkdirSync(ONNX_DIR, { recursive: true });
  const path = `${ONNX_DIR}/${l.name}.onnx`;
  Deno.writeFileSync(path, r.bytes);
  return { bytes: r.bytes, path, ms };
}

export async function createSession(
  bytes: Uint8Array,
  threads: number,
  level: "disabled" | "basic" | "extended" | "all" = "all",
): Promise<{ session: ort.InferenceSession; ms: number }> {
  const t = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ["cpu"],
    graphOptimizationLevel: level,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
  });
  return { session, ms: performance.now() - t };
}

/** Int32 -> int64 (little-endian: low word, sign-extended high word). */
export function toInt64(src: Int32Array): BigInt64Array {
  const out = new BigInt64Array(src.length);
  const w = new Int32Array(out.buffer);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    w[2 * i] = v;
    w[2 * i + 1] = v >> 31;
  }
  return out;
}

/** Builds the input tensors and runs the session: logits [b * labels]. */
export async function ortLogits(
  session: ort.InferenceSession,
  batch: EncodedBatch,
): Promise<Float32Array> {
  const dims = [batch.batchSize, batch.seqLen];
  const feeds = {
    input_ids: new ort.Tensor("int64", toInt64(batch.inputIds), dims),
    token_type_ids: new ort.Tensor("int64", toInt64(batch.tokenTypeIds), dims),
    attention_mask: new ort.Tensor("float32", Float32Array.from(batch.attentionMask), dims),
  };
  const out = await session.run(feeds);
  return out.logits.data as Float32Array;
}

/** Row-wise softmax in JS. */
export function softmaxRows(logits: Float32Array, labels: number): Float32Array {
  const p = new Float32Array(logits.length);
  for (let r = 0; r < logits.length; r += labels) {
    let m = -Infinity;
    for (let j = 0; j < labels; j++) m = Math.max(m, logits[r + j]);
    let s = 0;
    for (let j = 0; j < labels; j++) s += p[r + j] = Math.exp(logits[r + j] - m);
    for (let j = 0; j < labels; j++) p[r + j] /= s;
  }
  return p;
}

/** ORT counterpart of rawBatchThroughput: tensors built, run, probabilities read back. */
export async function ortBatchThroughput(
  session: ort.InferenceSession,
  batch: EncodedBatch,
  labels: number,
  repeats = 7,
): Promise<{ examplesPerSecond: number; msPerBatch: number; seqLen: number }> {
  const once = async () => softmaxRows(await ortLogits(session, batch), labels);
  await once();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await once();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  const ms = ts[ts.length >> 1];
  return { examplesPerSecond: (batch.batchSize * 1000) / ms, msPerBatch: ms, seqLen: batch.seqLen };
}

export function tfjsLogits(model: Classifier, batch: EncodedBatch): Float32Array {
  const out = model.forward(batch, { training: false });
  const v = out.logits.dataSync() as Float32Array;
  out.logits.dispose();
  for (const t of out.hidden) t.dispose();
  return Float32Array.from(v);
}
