/**
 * The gradient-reversal layer of domain-adversarial training (Ganin & Lempitsky 2015): identity
 * in the forward pass, the incoming gradient times -lambda in the backward pass, so the layers
 * below learn features the domain classifier above cannot separate (Meta-KD's meta-teacher; its
 * re-implementation uses corrupted domain labels instead, METHODS.md, and says so).
 */
import * as tf from "@tensorflow/tfjs";

export function gradientReversal<T extends tf.Tensor>(x: T, lambda = 1): T {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(`gradientReversal: lambda must be a finite number >= 0, got ${lambda}`);
  }
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return {
      value: tf.clone(input),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, -lambda),
    };
  });
  return f(x) as T;
}
