import * as tf from "@tensorflow/tfjs";
import { linear } from "./linear.ts";
import { addMacs } from "./macs.ts";
import { shiftSeq } from "./shift.ts";

/**
 * Depthwise-separable 1-D convolution along the sequence, "same" padding, then ReLU.
 * The depthwise part is k shifted multiply-adds (slice/pad/mul have wasm gradients; wasm has
 * no depthwise or conv backprop kernels), the pointwise part one matmul.
 * x: [batch, seq, hidden] with padding positions already zeroed; depthwise: [k, hidden].
 */
export function sepConv(
  x: tf.Tensor3D,
  depthwise: tf.Tensor2D,
  pointwise: tf.Tensor,
  bias: tf.Tensor,
  dilation: number,
): tf.Tensor3D {
  const [b, s, h] = x.shape;
  const k = depthwise.shape[0];
  const half = Math.floor(k / 2);
  let acc: tf.Tensor | null = null;
  for (let t = 0; t < k; t++) {
    const tap = tf.reshape(tf.slice(depthwise, [t, 0], [1, h]), [h]); // [hidden]
    const term = tf.mul(shiftSeq(x, (t - half) * dilation), tap); // [batch, seq, hidden]
    acc = acc === null ? term : tf.add(acc, term);
  }
  addMacs(b * s * k * h);
  return tf.relu(linear(acc!, pointwise, bias)) as tf.Tensor3D;
}
