/**
 * Distillation throughput of the default KD student (the TinyBERT-style baseline of
 * experiments/kd_baselines: 4 layers, hidden 64, FF 256, full 30,522-row embeddings) under a
 * random teacher of the default teacher's size (4 layers, hidden 256; weights do not change
 * the speed), on fixed synthetic batches of 32 x 32 tokens, through lib/distill's `distill`
 * loop (AdamW, clipping, the whole step).
 *
 * Rows: step time, examples/s and effective GFLOP/s from an (in-memory) teacher-output cache
 * with the prediction-layer loss (soft CE at T = 1), compared with the matmul section's
 * 512^3 GFLOP/s; the same with the word-embedding table frozen (trainable = false: no
 * embedding gradient and no Adam update over its 30,522 rows), giving the embedding update's
 * share of the step; the full TinyBERT objective with the live teacher (hidden + attention
 * matching); the embedding share for a teacher-width student (2 layers at hidden 256, whose full
 * table is 4x larger); and the PKD/DistilBERT baselines' factorised version of that student
 * (30,522 x 16 table + 16 x 256 projection), whose step is compared with the full-table one.
 *
 * FLOPs are counted analytically (`bertForwardMatmulFlops`): forward matmul FLOPs of the
 * student (Q, K, V, O, attention scores and mixing, FF, pooler, classifier), times 3 for
 * forward + backward; with the live teacher, the teacher's forward and the loss projections
 * are added. Element-wise work, the embedding and Adam are not counted (a lower bound on work).
 *
 * Target (issue 3): 40% of the matmul roofline. Not reached with tfjs's own kernels: two idle runs
 * on 2026-12-01 gave 0.242 and 0.243 (155.8 and 165.7 ms per step against a 34.7 and 32.5 GFLOP/s
 * roofline). Reached with the fused wasm SIMD kernels (issue 20, on by default on wasm;
 * docs/FUSED_KERNELS.md): idle runs on 2026-12-04 gave 0.437-0.476 with them and 0.242-0.255
 * without, in the same runs (section `fused` measures on and off side by side). The roofline is the
 * best 512^3 matmul of the run (matmul.ts matmulRoofline): an earlier matmul timing that never
 * disposed its outputs read 14 GFLOP/s on this host and would have shown a flattering 0.60. The row
 * "linear-layer matmuls alone at the student's shapes" says where the rest is: 45.5 ms of a 151.8
 * ms step (2026-12-01) were the linear layers' matmuls, which run near the roofline; everything
 * else (attention products, softmax, LayerNorm, GELU, dropout, the embedding, AdamW) was about 106
 * ms before the fused kernels.
 * Where the step went before the fused kernels, measured with
 * `experiments/bench/profile_distill.ts` (tf.profile of one 32 x 32 step, 2026-11-22, wasm, one
 * thread, another job on the second core): ~2,600 kernels per step; BatchMatMul ~43% of kernel
 * time, in which the 2-D matmuls of the 64-wide layers run at 14-25 GFLOP/s but the 4-D
 * attention matmuls ([32,4,32,16] x [32,4,16,32]) at only 2.7-4.4;
 * element-wise Multiply/Add (AdamW over ~50 tensors, LayerNorm, dropout; ~975 kernels) ~24%;
 * the exact GELU's Erf ~6%; Transpose ~7%; the 30,522 x 64 embedding's AdamW ~10% (measured
 * below, so no sparse-update remedy: it does not dominate). Larger batches do not help (64 x 32:
 * 150 ex/s, 128 x 32: 133 ex/s, against 123-135 at 32 x 32). At width 64 the work is spread over
 * many small kernels, none of which a fix in this project could make 2x faster with tfjs's own
 * kernels: hence the fused kernels in the wasm backend itself (issue 20). A fused
 * AdamW written in JS (one pass over heap views per parameter, moments in Float32Arrays, same
 * arithmetic as tf.train.adam + decay within 2e-6) was tried on 2026-12-01 and not adopted: for
 * a 30,522 x 64 table 26.3 ms against 28.0 ms for tfjs's kernels, for 30,522 x 256 133 ms against
 * 89 ms (scalar JS does not beat the backend's SIMD element-wise kernels).
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../../../lib/data/mod.ts";
import {
  type BertConfig,
  type BertModel,
  type Classifier,
  createBertClassifier,
} from "../../../lib/models/mod.ts";
import {
  distill,
  type DistillOptions,
  type ObjectiveInput,
  type TeacherCache,
} from "../../../lib/distill/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import {
  FACTORISED_EMBEDDING_SIZE,
  pkd,
  studentBertConfig,
  tinybert,
} from "../../../lib/distill/mod.ts";
import { type BenchRow, type BenchSection, timeMedian } from "./types.ts";
import { matmulGflops, matmulRoofline } from "./matmul.ts";

/** The default teacher's shape (experiments/teacher defaults); weights do not change the speed. */
export const TEACHER: BertConfig = {
  vocab_size: 30522,
  hidden_size: 256,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  intermediate_size: 1024,
  hidden_act: "gelu",
  max_position_embeddings: 128,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  classifier_dropout: null,
  num_labels: 2,
  pad_token_id: 0,
  initializer_range: 0.02,
  position_embedding_type: "absolute",
  pooling: "cls",
  embedding_size: null,
};
const BATCH = 32, SEQ = 32;
const EMBEDDING = "bert.embeddings.word_embeddings.weight";

/** Forward matmul FLOPs of a BERT classifier on `batch` x `seq` tokens. */
export function bertForwardMatmulFlops(c: BertConfig, batch: number, seq: number): number {
  const n = batch * seq, h = c.hidden_size;
  const perLayer = 8 * n * h * h + 4 * n * seq * h + 4 * n * h * c.intermediate_size;
  return c.num_hidden_layers * perLayer + 2 * batch * h * h + 2 * batch * h * c.num_labels;
}

export function syntheticBatches(count: number, seed: number): EncodedBatch[] {
  const prng = Prng.fromSeed(seed);
  return Array.from({ length: count }, (_, k) => {
    const inputIds = new Int32Array(BATCH * SEQ);
    for (let i = 0; i < inputIds.length; i++) inputIds[i] = 1000 + prng.int(29000);
    for (let r = 0; r < BATCH; r++) inputIds[r * SEQ] = 101; // [CLS]
    return {
      batchSize: BATCH,
      seqLen: SEQ,
      inputIds,
      tokenTypeIds: new Int32Array(BATCH * SEQ),
      attentionMask: new Int32Array(BATCH * SEQ).fill(1),
      labels: Int32Array.from({ length: BATCH }, () => prng.int(2)),
      indices: Array.from({ length: BATCH }, (_, i) => k * BATCH + i),
    };
  });
}

/** A logits-only TeacherCache held in memory (the bench may not write .cache/). */
export function memoryCache(teacher: Classifier, batches: EncodedBatch[]): TeacherCache {
  const n = batches.reduce((s, b) => s + b.batchSize, 0), c = teacher.numLabels;
  const logits = new Float32Array(n * c);
  for (const b of batches) {
    const out = teacher.forward(b);
    const v = out.logits.dataSync();
    tf.dispose([out.logits, ...out.hidden]);
    b.indices.forEach((e, r) => logits.set(v.subarray(r * c, r * c + c), e * c));
  }
  const unsupported = () => {
    throw new TypeError("bench memory cache: logits only");
  };
  return {
    key: "bench-memory",
    dir: "",
    numExamples: n,
    numLabels: c,
    hidden: null,
    built: true,
    logitsFor: (idx) => {
      const out = new Float32Array(idx.length * c);
      idx.forEach((e, r) => out.set(logits.subarray(e * c, e * c + c), r * c));
      return out;
    },
    hiddenFor: unsupported,
    lengthsFor: unsupported,
  };
}

/** Median ms/step of `steps` distill updates after `warmup` (the first builds Adam's slots). */
export async function msPerStep(
  teacher: Classifier | TeacherCache,
  student: Classifier,
  batches: EncodedBatch[],
  objective: ObjectiveInput,
  steps: number,
  warmup: number,
  extra: Partial<DistillOptions> = {},
): Promise<number> {
  const times: number[] = [];
  await distill(teacher, student, { train: batches }, {
    ...extra,
    objective,
    maxSteps: warmup + steps,
    epochs: Math.ceil((warmup + steps) / batches.length),
    learningRate: 1e-4,
    seed: 5,
    onProgress: (p) => {
      if (p.step > warmup) times.push(p.msPerStep);
    },
  });
  times.sort((a, b) => a - b);
  const m = times.length >> 1;
  return times.length % 2 ? times[m] : (times[m - 1] + times[m]) / 2;
}

async function embeddingShare(
  student: Classifier,
  cache: TeacherCache,
  batches: EncodedBatch[],
  options: { steps: number; rounds: number },
): Promise<{ trainable: number; frozen: number }> {
  const objective: ObjectiveInput = { kl: { weight: 0 }, softCE: { weight: 1, temperature: 1 } };
  const table = student.params.get(EMBEDDING);
  if (!table) throw new RangeError(`bench distill: the student has no ${EMBEDDING}`);
  // Alternate short trainable / frozen runs and keep each one's fastest median, so that load
  // from other processes (this machine is shared) hits both alike.
  const t: number[] = [], f: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    t.push(await msPerStep(cache, student, batches, objective, options.steps, 1));
    table.trainable = false;
    try {
      f.push(await msPerStep(cache, student, batches, objective, options.steps, 1));
    } finally {
      table.trainable = true;
    }
  }
  return { trainable: Math.min(...t), frozen: Math.min(...f) };
}

/**
 * The embedding's share of an update measured in isolation: everything distill() does to one
 * [rows, width] parameter with a dense gradient (norm for clipping, clip scale, decoupled
 * weight decay, Adam), median of repeated calls.
 */
function isolatedEmbeddingUpdateMs(rows: number, width: number, repeats: number): number {
  const v = tf.variable(tf.randomNormal([rows, width], 0, 0.02), true, `bench-emb-${width}`);
  const g = tf.randomNormal([rows, width], 0, 1e-3);
  const adam = tf.train.adam(1e-4, 0.9, 0.999, 1e-6);
  try {
    return timeMedian(() =>
      tf.tidy(() => {
        const norm = tf.sqrt(tf.sum(tf.square(g)));
        const scale = tf.div(1, tf.maximum(norm, 1));
        v.assign(tf.mul(v, 1 - 1e-4 * 0.01));
        adam.applyGradients([{ name: v.name, tensor: tf.mul(g, scale) }]);
        norm.dataSync();
      }), { warmup: 2, repeats });
  } finally {
    adam.dispose();
    tf.dispose([v, g]);
  }
}

export const distillSection: BenchSection = {
  name: "distill",
  description:
    "KD student (TinyBERT-style) from a teacher-output cache: ex/s, GFLOP/s vs matmul, " +
    "embedding-update share",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "distill", name, value, unit, ...(note ? { note } : {}) });
    const steps = ctx.quick ? 3 : 5;
    const teacher = createBertClassifier(TEACHER, { seed: 1 }) as BertModel;
    const batches = syntheticBatches(4, 3);
    const cache = memoryCache(teacher, batches);
    const student = tinybert.createStudent(teacher, { seed: 2 }) as BertModel;
    // the PKD/DistilBERT shape (2 layers at teacher width) with the full 30,522 x 256 table, and
    // the PKD baseline itself, whose table is factorised to 30,522 x 16 + 16 x 256 (types.ts)
    const wide = createBertClassifier(
      studentBertConfig(TEACHER, { layers: 2, hidden: 256, heads: 4, intermediate: 1024 }),
      { seed: 2 },
    );
    const factorised = pkd.createStudent(teacher, { seed: 2 }) as BertModel;
    try {
      const sc = student.config;
      const flops = 3 * bertForwardMatmulFlops(sc, BATCH, SEQ);
      const rounds = ctx.quick ? 2 : 4;
      const share = await embeddingShare(student, cache, batches, { steps, rounds });
      const ms = share.trainable;
      const gflops = flops / ms / 1e6;
      const size = `L${sc.num_hidden_layers} H${sc.hidden_size} FF${sc.intermediate_size}`;
      row(`tinybert ${size} step ms, cache (soft CE)`, ms, "ms", `batch ${BATCH}x${SEQ}`);
      row("examples/s, cache", (1000 * BATCH) / ms, "ex/s");
      row("GFLOP/s, cache", gflops, "GFLOP/s", `${(flops / 1e9).toFixed(3)} GFLOP per step`);
      const roof = matmulRoofline(ctx);
      row(
        "GFLOP/s / matmul 512^3 GFLOP/s",
        gflops / roof.gflops,
        "ratio",
        roof.note,
      );
      // What the student's own linear layers cost as plain matmuls at their shapes (n = 1024
      // tokens): the part of the step a faster matmul could shrink; the rest is everything else.
      const n = BATCH * SEQ, h = sc.hidden_size, f = sc.intermediate_size;
      const shapes: [number, number, number, number][] = [[4, n, h, h], [1, n, h, f], [1, n, f, h]];
      let linearMs = 0;
      for (const [count, m, k, nn] of shapes) {
        linearMs += (count * 2 * m * k * nn) / matmulGflops(m, k, nn, ctx.quick ? 5 : 15) / 1e6;
      }
      linearMs *= 3 * sc.num_hidden_layers; // forward + two backward matmuls per linear, per layer
      row(
        "linear-layer matmuls alone at the student's shapes, ms",
        linearMs,
        "ms",
        `${(100 * linearMs / ms).toFixed(0)}% of the step; [${n}x${h}]x[${h}x${h}] x4, ` +
          `[${n}x${h}]x[${h}x${f}], [${n}x${f}]x[${f}x${h}], ` +
          `x3 (fwd + bwd) x ${sc.num_hidden_layers} layers`,
      );
      const fraction = (share.trainable - share.frozen) / share.trainable;
      const isolated = isolatedEmbeddingUpdateMs(
        TEACHER.vocab_size,
        sc.hidden_size,
        ctx.quick ? 5 : 15,
      );
      // The isolated timing decides (the frozen/trainable difference is noisy on a shared machine).
      const dominates = isolated / ms > 0.5;
      const verdict = dominates ? "DOMINATES" : "does not dominate";
      row("step ms, word embeddings frozen", share.frozen, "ms", "trainable = false");
      row(
        "embedding update share of step (trainable - frozen)",
        fraction,
        "ratio",
        `30522x${sc.hidden_size}: gather gradient + AdamW`,
      );
      row(
        "embedding AdamW update alone, ms",
        isolated,
        "ms",
        `dense 30522x${sc.hidden_size} gradient (norm, clip, decay, Adam): ${
          (100 * isolated / ms).toFixed(0)
        }% of the step; ${verdict}`,
      );
      console.log(
        `distill: the word-embedding update of the TinyBERT-style student takes ${
          (100 * isolated / ms).toFixed(0)
        }% of its step alone (${(100 * fraction).toFixed(0)}% by freezing it): it ${
          dominates ? "dominates" : "does not dominate"
        }`,
      );

      const live = tinybert.objective(TEACHER);
      const liveMs = await msPerStep(teacher, student, batches, live, steps, 2);
      const projections = 5 * 2 * BATCH * SEQ * sc.hidden_size * TEACHER.hidden_size;
      const liveFlops = 3 * (bertForwardMatmulFlops(sc, BATCH, SEQ) + projections) +
        bertForwardMatmulFlops(TEACHER, BATCH, SEQ);
      row("step ms, live teacher (hidden + attention + soft CE)", liveMs, "ms");
      row("examples/s, live teacher", (1000 * BATCH) / liveMs, "ex/s");
      row(
        "GFLOP/s, live teacher",
        liveFlops / liveMs / 1e6,
        "GFLOP/s",
        `${(liveFlops / 1e9).toFixed(3)} GFLOP per step (teacher forward + projections included)`,
      );

      const wideShare = await embeddingShare(wide, cache, batches, {
        steps: ctx.quick ? 2 : 3,
        rounds,
      });
      const wideIsolated = isolatedEmbeddingUpdateMs(
        TEACHER.vocab_size,
        TEACHER.hidden_size,
        ctx.quick ? 3 : 9,
      );
      const wideFraction = (wideShare.trainable - wideShare.frozen) / wideShare.trainable;
      row("teacher-width student (L2 H256, full table) step ms, cache", wideShare.trainable, "ms");
      row(
        "teacher-width student embedding share (trainable - frozen)",
        wideFraction,
        "ratio",
        "30522x256: gather gradient + AdamW",
      );
      row(
        "teacher-width embedding AdamW update alone, ms",
        wideIsolated,
        "ms",
        `${(100 * wideIsolated / wideShare.trainable).toFixed(0)}% of the step; ${
          wideIsolated / wideShare.trainable > 0.5 ? "DOMINATES" : "does not dominate"
        }`,
      );
      const factorisedShare = await embeddingShare(factorised, cache, batches, {
        steps: ctx.quick ? 2 : 3,
        rounds,
      });
      row(
        "factorised teacher-width student (PKD/DistilBERT baselines) step ms, cache",
        factorisedShare.trainable,
        "ms",
        `30522x${FACTORISED_EMBEDDING_SIZE} table + ${FACTORISED_EMBEDDING_SIZE}x256 projection`,
      );
      row(
        "full-table step / factorised step",
        wideShare.trainable / factorisedShare.trainable,
        "ratio",
        "the factorised table as the remedy for the teacher-width students",
      );
    } finally {
      student.dispose();
      wide.dispose();
      factorised.dispose();
      teacher.dispose();
    }
    return rows;
  },
};
