/**
 * Meta-KD's auxiliary domain loss as a distillation-loop term (distill `auxiliary`): a linear
 * domain classifier on the student's mean last-layer token state (padding and [CLS] excluded,
 * Meta-KD's representation), behind a gradient-reversal layer (Ganin & Lempitsky 2015), trained
 * with the cross-entropy of each example's domain. The classifier learns to tell the domains
 * apart while the reversed gradient pushes the encoder towards domain-invariant features.
 * Ours, where Meta-KD's re-implementation differs (METHODS.md): it trains the domain classifier on
 * corrupted (shuffled) domain ids without a reversal layer; the issue asked for either, and the
 * reversal layer is the standard domain-adversarial form.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import type { ModelOutput } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import type { DistillAuxiliary } from "./distill.ts";
import { gradientReversal } from "./gradient_reversal.ts";
import { hardLabelCE } from "./logit_losses.ts";

/** Mean of the last layer's token states over real tokens after [CLS]: [batch, hidden]. */
export function meanTokenState(out: ModelOutput, batch: EncodedBatch): tf.Tensor2D {
  return tf.tidy(() => {
    const h = out.hidden.at(-1)!; // [b, s, hidden]
    const m = Float32Array.from(batch.attentionMask, (v, i) => (i % batch.seqLen === 0 ? 0 : v));
    const mask = tf.tensor3d(m, [batch.batchSize, batch.seqLen, 1]);
    const sum = tf.sum(tf.mul(h, mask), 1); // [b, hidden]
    return tf.div(sum, tf.maximum(tf.sum(mask, 1), 1)) as tf.Tensor2D;
  });
}

export interface DomainAdversarialOptions {
  hidden: number;
  numDomains: number;
  /** The domain (0..numDomains-1) of an example by its index. */
  domainOf: (index: number) => number;
  /** Reversal strength. Default 1. */
  lambda?: number;
  /** Weight of the term. Default 0.5 (the re-implementation's domain-loss weight). */
  weight?: number;
  seed?: number;
}

export function domainAdversarial(
  o: DomainAdversarialOptions,
): DistillAuxiliary & { dispose(): void } {
  const { hidden, numDomains, lambda = 1, weight = 0.5, seed = 0 } = o;
  if (!(numDomains >= 2)) throw new RangeError("domainAdversarial: needs at least two domains");
  const prng = Prng.fromSeed(seed);
  const w0 = tf.tensor2d(
    Float32Array.from({ length: hidden * numDomains }, () => 0.02 * prng.normal()),
    [hidden, numDomains],
  );
  const b0 = tf.zeros([numDomains]);
  const w = tf.variable(w0, true, `domain_adversarial.weight.${seed}`);
  const b = tf.variable(b0, true, `domain_adversarial.bias.${seed}`);
  tf.dispose([w0, b0]); // the variables keep their own reference
  return {
    name: `domain-adversarial (reversal ${lambda}, ${numDomains} domains)`,
    weight,
    needsHidden: true,
    variables: new Map([[w.name, w], [b.name, b]]),
    loss(out, batch) {
      const domains = batch.indices.map((i) => {
        const d = o.domainOf(i);
        if (!(Number.isInteger(d) && d >= 0 && d < numDomains)) {
          throw new RangeError(`domainAdversarial: example ${i} has domain ${d}`);
        }
        return d;
      });
      return tf.tidy(() => {
        const rep = gradientReversal(meanTokenState(out, batch), lambda);
        const logits = tf.add(tf.matMul(rep, w), b) as tf.Tensor2D;
        return hardLabelCE(logits, tf.tensor1d(domains, "int32"));
      });
    },
    dispose() {
      w.dispose();
      b.dispose();
    },
  };
}
