/**
 * MATE-KD (Rashid, Lioutas & Rezagholizadeh 2021, "MATE-KD: Masked Adversarial TExt, a
 * Companion to Knowledge Distillation", ACL; official code huawei-noah/Efficient-NLP read): a
 * masked-LM generator rewrites 30% of the non-special tokens through a straight-through
 * Gumbel-softmax (tau 1); its one-hot output times each model's own word table is that model's
 * input there (lib/models `WordReplacement`), so gradients reach the generator through teacher
 * and student.
 * - Generator phase (`generatorSteps` batches, MATE-KD 10, drawn seeded from the epoch's
 *   batches): the generator maximises D = softCE_{T=1}(S(x'), T(x')) (teacher and student in
 *   inference mode, only the generator's variables updated; Adam, gradient clip 5 as the code).
 * - Student phase (`studentSteps` batches, MATE-KD 100): each student step gets a fresh x' from
 *   the generator (no gradient to it, so as token ids: the same vectors as one-hot x table
 *   without the [positions, vocab] matmuls) and the distillation loop adds
 *   `weight` · D(T(x'), S(x')) to the objective; with `mateObjective()` the whole loss is MATE-KD's
 *   1/3 CE(y, S(x)) + 1/3 D(T(x), S(x)) + 1/3 D(T(x'), S(x')).
 * Ours, where the paper and code are silent or cannot be followed here: special tokens ([CLS],
 * [SEP], [PAD], [MASK], [UNK], [unusedN]) are never generated; the generator is the project's
 * masked LM (data/teachers/.../mlm, 4 x 256, as the code's BERT-setup generator); its learning
 * rate defaults to 1/40 of the student's peak rate, MATE-KD's ratio (5e-7 vs 2e-5), since our
 * students start from scratch at 1e-3-2e-3; the generator is updated in place, so pass a copy if
 * the masked LM must stay as it was.
 * Cost, measured (`deno task bench --sections mate_kd`, 2026-12-03, idle 2 cores, TinyBERT-style
 * student, 4 x 256 teacher and generator, batch 32 x 32): plain KD 409 ms per step, MATE-KD's
 * student step 1,598 ms (the generator's forward with its 30,522-way projection at the ~300
 * masked positions, about 490 ms, the Gumbel noise over them, about 200 ms, the teacher on x'
 * and the student's second pass), a generator update 3,205 ms; 4.7x plain KD per student step
 * amortised at 10 generator batches per 100 student batches.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier, WordReplacement } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import type { AugmenterContext, DistillAugmenter } from "./augmenter.ts";
import { gumbelSoftmaxST } from "./gumbel.ts";
import { softCE } from "./logit_losses.ts";
import type { ObjectiveInput } from "./objective.ts";
import { maskTokens } from "./token_masking.ts";

/** What MATE-KD needs of the generator (lib/models `BertModel` with the MLM head fits). */
export interface MaskedLMGenerator {
  readonly params: Map<string, tf.Variable>;
  /** Logits at flat positions: [positions, vocab]. */
  mlmLogitsAt(batch: EncodedBatch, positions: ArrayLike<number>): tf.Tensor2D;
}

export interface MateKdOptions {
  generator: MaskedLMGenerator;
  /** Vocabulary tokens in id order (which ids are special, which may be generated). */
  vocab: readonly string[];
  /** Share of non-special tokens rewritten; default 0.3. */
  maskRate?: number;
  /** Gumbel-softmax temperature; default 1. */
  tau?: number;
  /** Generator batches per cycle; default 10. */
  generatorSteps?: number;
  /** Student batches per cycle; default 100. */
  studentSteps?: number;
  /** Generator Adam learning rate; default `studentLearningRate / 40`. */
  generatorLearningRate?: number;
  /** The student's peak learning rate (for the default above); default 1e-3. */
  studentLearningRate?: number;
  /** Generator gradient clip (global norm); default 5 (the official code). */
  generatorClipNorm?: number;
  /** Weight of D(T(x'), S(x')) in the student loss; default 1/3. */
  weight?: number;
  seed?: number;
}

/** MATE-KD's student objective for the clean batch: 1/3 CE + 1/3 softCE at T = 1. */
export function mateObjective(weight = 1 / 3): ObjectiveInput {
  return { kl: { weight: 0 }, softCE: { weight, temperature: 1 }, ce: { weight } };
}

export interface MateKdRecord {
  /** Student step before which the generator phase ran. */
  step: number;
  /** Mean divergence D over the phase's batches, before each update. */
  divergence: number;
}

export interface MateKd extends DistillAugmenter {
  /** One entry per generator phase (the divergence over training). */
  readonly history: readonly MateKdRecord[];
  /** x' of a batch as token ids (for showing the perturbed text), no update. */
  perturbedIds(batch: EncodedBatch): Int32Array;
  /** One generator phase on `batches` (normally called by `prepare`); returns the mean D. */
  generatorPhase(
    batches: readonly EncodedBatch[],
    teacher: Classifier,
    student: Classifier,
  ): number;
}

const isSpecial = (t: string) => /^\[.*\]$/.test(t);

export function mateKd(options: MateKdOptions): MateKd {
  const {
    generator,
    vocab,
    maskRate = 0.3,
    tau = 1,
    generatorSteps = 10,
    studentSteps = 100,
    studentLearningRate = 1e-3,
    generatorClipNorm = 5,
    weight = 1 / 3,
    seed = 0,
  } = options;
  const generatorLearningRate = options.generatorLearningRate ?? studentLearningRate / 40;
  for (const [name, v] of [["generatorSteps", generatorSteps], ["studentSteps", studentSteps]]) {
    if (!Number.isInteger(v) || (v as number) < 0) {
      throw new RangeError(`mateKd: ${name} must be an integer >= 0, got ${v}`);
    }
  }
  if (studentSteps < 1) throw new RangeError("mateKd: studentSteps must be at least 1");
  const maskId = vocab.indexOf("[MASK]");
  if (maskId < 0) throw new RangeError("mateKd: the vocabulary has no [MASK] token");
  const specialIds = new Set<number>();
  vocab.forEach((t, id) => isSpecial(t) && specialIds.add(id));
  const allowed = tf.keep(tf.tensor1d(vocab.map((t) => (isSpecial(t) ? 0 : 1))));
  const prng = Prng.fromSeed(seed);
  const maskPrng = prng.fork(), noisePrng = prng.fork(), poolPrng = prng.fork();
  const generatorVars = [...generator.params.values()].filter((v) => v.trainable);
  const optimizer = tf.train.adam(generatorLearningRate, 0.9, 0.999, 1e-6);
  const history: MateKdRecord[] = [];
  let lastDivergence = NaN;

  /** x' of `batch`: positions and the straight-through one-hot (differentiable in the MLM). */
  const sample = (batch: EncodedBatch): WordReplacement => {
    const { masked, positions } = maskTokens(batch, {
      rate: maskRate,
      prng: maskPrng,
      specialIds,
      maskId,
    });
    if (positions.length === 0) return { positions, onehot: tf.zeros([0, vocab.length]) };
    const onehot = gumbelSoftmaxST(generator.mlmLogitsAt(masked, positions), {
      tau,
      seed: noisePrng.seed(),
      allowed,
    });
    return { positions, onehot };
  };

  const divergence = (
    batch: EncodedBatch,
    r: WordReplacement,
    teacher: Classifier,
    student: Classifier,
  ): tf.Scalar => {
    const t = teacher.forward(batch, { training: false, wordReplacement: r });
    const s = student.forward(batch, { training: false, wordReplacement: r });
    return softCE(s.logits, t.logits, { temperature: 1 });
  };

  const generatorPhase = (
    batches: readonly EncodedBatch[],
    teacher: Classifier,
    student: Classifier,
  ): number => {
    let sum = 0;
    for (const batch of batches) {
      const { value, grads } = tf.variableGrads(() => {
        const r = sample(batch);
        if (r.positions.length === 0) return tf.scalar(0);
        return tf.neg(divergence(batch, r, teacher, student)) as tf.Scalar;
      }, generatorVars);
      try {
        const d = -value.dataSync()[0];
        if (!Number.isFinite(d)) {
          throw new RangeError(`mateKd: the generator's divergence is ${d}; no update applied`);
        }
        sum += d;
        tf.tidy(() => {
          const present = generatorVars.filter((v) => grads[v.name]);
          if (present.length === 0) return;
          const norm = tf.sqrt(tf.addN(present.map((v) => tf.sum(tf.square(grads[v.name])))));
          // a non-finite gradient would turn every generator weight into NaN (and every sample
          // into [PAD]) without any visible error: refuse it
          const n = norm.dataSync()[0];
          if (!Number.isFinite(n)) {
            throw new RangeError(
              `mateKd: the generator's gradient norm is ${n}; no update applied`,
            );
          }
          const scale = tf.div(generatorClipNorm, tf.maximum(norm, generatorClipNorm));
          optimizer.applyGradients(
            present.map((v) => ({ name: v.name, tensor: tf.mul(grads[v.name], scale) })),
          );
        });
      } finally {
        tf.dispose([value, ...Object.values(grads)]);
      }
    }
    return batches.length ? sum / batches.length : NaN;
  };

  return {
    name: `MATE-KD(mask ${maskRate}, tau ${tau}, ${generatorSteps}/${studentSteps}, ` +
      `generator lr ${generatorLearningRate})`,
    weight,
    history,
    generatorPhase,
    prepare(ctx: AugmenterContext): WordReplacement | null {
      if ((ctx.step - 1) % studentSteps === 0 && generatorSteps > 0 && ctx.pool.length > 0) {
        const picked = Array.from(
          { length: generatorSteps },
          () => ctx.pool[poolPrng.int(ctx.pool.length)],
        );
        lastDivergence = generatorPhase(picked, ctx.teacher, ctx.student);
        history.push({ step: ctx.step, divergence: lastDivergence });
      }
      // the student step needs no gradient into the generator: the sampled tokens as ids
      // (the same vectors as one-hot x table, without the [P, vocab] matmuls)
      const out = sampledIds(ctx.batch);
      return out.positions.length ? out : null;
    },
    parts: () => ({ generatorDivergence: lastDivergence }),
    perturbedIds(batch: EncodedBatch): Int32Array {
      const r = sampledIds(batch);
      const ids = Int32Array.from(batch.inputIds);
      r.positions.forEach((q, k) => (ids[q] = r.ids![k]));
      return ids;
    },
    dispose() {
      optimizer.dispose();
      allowed.dispose();
    },
  };

  /** A sample of x' as token ids (its one-hot's argmax), no tensor kept. */
  function sampledIds(batch: EncodedBatch): WordReplacement {
    let positions: Int32Array = new Int32Array(0);
    const chosen = tf.tidy(() => {
      const r = sample(batch);
      positions = r.positions;
      return tf.argMax(r.onehot!, 1);
    });
    const ids = Int32Array.from(chosen.dataSync());
    chosen.dispose();
    return { positions, ids };
  }
}
