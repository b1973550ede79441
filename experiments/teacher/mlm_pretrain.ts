/**
 * Masked-LM pretraining loop for the default teacher (one readable loop; BERT's objective only,
 * no next-sentence prediction, as RoBERTa). Adam with linear warmup and decay, global-norm
 * clipping, time or step budget. Loss = cross-entropy at the masked positions only, computed
 * through `mlmLogitsAt` so the 30,522-way projection runs on the ~15% chosen rows.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertModel } from "../../lib/models/mod.ts";
import { type BertTokenizer, bucketBatches, type Example, maskTokens } from "../../lib/data/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

export interface MlmOptions {
  maxSteps: number;
  /**
   * Stop after this many seconds even if maxSteps is not reached (the schedule assumes maxSteps).
   */
  maxSeconds?: number;
  batchSize?: number;
  maxLength?: number;
  learningRate?: number;
  warmupSteps?: number;
  clipNorm?: number;
  seed?: number;
  onProgress?: (p: { step: number; loss: number; accuracy: number; msPerStep: number }) => void;
}

export interface MlmSummary {
  steps: number;
  seconds: number;
  finalLoss: number;
  /** Masked-token prediction accuracy over the last 10 measurements (every 25th step). */
  finalAccuracy: number;
}

export function pretrainMlm(
  model: BertModel,
  texts: string[],
  tokenizer: BertTokenizer,
  options: MlmOptions,
): MlmSummary {
  const prng = Prng.fromSeed(options.seed ?? 0);
  const examples: Example[] = texts.map((text) => ({ text, label: 0 }));
  const peak = options.learningRate ?? 5e-4;
  const warmup = options.warmupSteps ?? Math.round(0.06 * options.maxSteps);
  const clip = options.clipNorm ?? 1;
  const optimizer = tf.train.adam(peak, 0.9, 0.999, 1e-6);
  const vars = [...model.params.values()].filter((v) => v.trainable);
  const recent: { loss: number; acc: number }[] = [];
  const recentAcc: number[] = [];
  const started = performance.now();
  let step = 0;
  try {
    while (step < options.maxSteps) {
      const batches = bucketBatches(examples, tokenizer, {
        batchSize: options.batchSize ?? 32,
        maxLength: options.maxLength ?? 64,
        prng,
      });
      for (const batch of batches) {
        if (step >= options.maxSteps) break;
        if (options.maxSeconds && (performance.now() - started) / 1000 > options.maxSeconds) {
          return done();
        }
        const t0 = performance.now();
        step++;
        const lr = step <= warmup
          ? peak * step / Math.max(1, warmup)
          : peak * Math.max(0, (options.maxSteps - step) / Math.max(1, options.maxSteps - warmup));
        const m = maskTokens(batch, prng);
        if (m.positions.length === 0) continue;
        const targets = tf.tensor1d(m.targets, "int32");
        const { value, grads } = tf.variableGrads(() => {
          const logits = model.mlmLogitsAt(m.batch, m.positions, {
            training: true,
            seed: prng.seed(),
          }); // [n, vocab]
          return tf.losses.softmaxCrossEntropy(
            tf.oneHot(targets, logits.shape[1]),
            logits,
          ) as tf.Scalar;
        }, vars);
        // masked-token accuracy (an extra inference forward) every 25 steps only
        const acc = step % 25 === 0
          ? tf.tidy(() => {
            const logits = model.mlmLogitsAt(m.batch, m.positions); // [n, vocab]
            return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), targets), "float32"));
          })
          : tf.scalar(NaN);
        tf.tidy(() => {
          const present = vars.filter((v) => grads[v.name]);
          const norm = tf.sqrt(tf.addN(present.map((v) => tf.sum(tf.square(grads[v.name])))));
          const scale = tf.div(clip, tf.maximum(norm, clip));
          (optimizer as unknown as { learningRate: number }).learningRate = lr;
          optimizer.applyGradients(
            present.map((v) => ({ name: v.name, tensor: tf.mul(grads[v.name], scale) })),
          );
        });
        const loss = value.dataSync()[0], a = acc.dataSync()[0];
        tf.dispose([value, acc, targets, ...Object.values(grads)]);
        if (!Number.isFinite(loss)) {
          throw new RangeError(`MLM pretraining: loss ${loss} at step ${step}`);
        }
        if (!Number.isNaN(a)) recentAcc.push(a);
        if (recentAcc.length > 10) recentAcc.shift();
        recent.push({ loss, acc: a });
        if (recent.length > 50) recent.shift();
        options.onProgress?.({ step, loss, accuracy: a, msPerStep: performance.now() - t0 });
      }
    }
    return done();
  } finally {
    optimizer.dispose();
  }
  function done(): MlmSummary {
    const mean = (f: (r: { loss: number; acc: number }) => number) =>
      recent.reduce((s, r) => s + f(r), 0) / Math.max(1, recent.length);
    return {
      steps: step,
      seconds: (performance.now() - started) / 1000,
      finalLoss: mean((r) => r.loss),
      finalAccuracy: recentAcc.reduce((x, y) => x + y, 0) / Math.max(1, recentAcc.length),
    };
  }
}
