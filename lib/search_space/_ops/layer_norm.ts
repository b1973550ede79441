import * as tf from "@tensorflow/tfjs";

/** LayerNorm over the last axis (eps 1e-12 as BERT). x: [..., h]; gamma, beta: [h]. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-12): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, gamma), beta);
}
