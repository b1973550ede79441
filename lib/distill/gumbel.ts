/**
 * Straight-through Gumbel-softmax (Jang, Gu & Poole 2017; the straight-through estimator of
 * Bengio, Léonard & Courville 2013), as MATE-KD's generator uses it (tau = 1): the forward
 * pass is the one-hot of argmax((logits + g) / tau) with Gumbel noise g = -log(-log u), the
 * backward pass is the gradient of softmax((logits + g) / tau), as if the one-hot were that
 * softmax.
 */
import * as tf from "@tensorflow/tfjs";

export interface GumbelOptions {
  /** Temperature; default 1 (MATE-KD). */
  tau?: number;
  /** Seed of the noise (tf.randomUniform's). */
  seed: number;
  /** [vocab] 1 where a token may be chosen, 0 where not (special tokens); default all. */
  allowed?: tf.Tensor1D;
  /** Use this noise instead of drawing it (tests): [rows, vocab]. */
  noise?: tf.Tensor2D;
}

/** One-hot of `soft`'s argmax in the forward pass; the incoming gradient passes to `soft`. */
const straightThrough = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const s = args[0] as tf.Tensor2D;
  const value = tf.oneHot(tf.argMax(s, 1) as tf.Tensor1D, s.shape[1]).toFloat();
  return { value, gradFunc: (dy: tf.Tensor) => dy };
}) as (soft: tf.Tensor2D) => tf.Tensor2D;

/**
 * Gumbel noise -log(-log u) from uniforms u, with u clipped to [1e-10, 1 - 1e-6] first: a float32
 * uniform can round to exactly 1 (about once in 2^24 draws, i.e. every few batches of 300 masked
 * positions x 30,522 tokens), which gives +Infinity noise, NaN in the softmax and NaN in every
 * generator weight after one update (measured: a MATE-KD generator was all NaN after 4 phases).
 */
export function gumbelNoiseFrom(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.log(tf.neg(tf.log(tf.clipByValue(u, 1e-10, 1 - 1e-6))))));
}

/** The Gumbel-softmax sample of `logits` [rows, vocab]: one-hot forward, soft backward. */
export function gumbelSoftmaxST(logits: tf.Tensor2D, options: GumbelOptions): tf.Tensor2D {
  const tau = options.tau ?? 1;
  if (!(tau > 0) || !Number.isFinite(tau)) {
    throw new RangeError(`gumbelSoftmaxST: tau must be a positive number, got ${tau}`);
  }
  return tf.tidy(() => {
    const g = options.noise ??
      gumbelNoiseFrom(tf.randomUniform(logits.shape, 0, 1, "float32", options.seed));
    let z = tf.div(tf.add(logits, g), tau);
    if (options.allowed) z = tf.add(z, tf.mul(tf.sub(1, options.allowed), -1e9));
    return straightThrough(tf.softmax(z) as tf.Tensor2D);
  });
}
