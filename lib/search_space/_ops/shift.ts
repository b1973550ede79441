import * as tf from "@tensorflow/tfjs";

/**
 * Shifts a sequence along axis 1 with zero fill: `y[:, t] = x[:, t + offset]`, zero where
 * `t + offset` falls outside [0, seq). The building block of the convolution and pooling
 * ops ("same" padding), made of slice + pad whose gradients exist on the wasm backend.
 */
export function shiftSeq(x: tf.Tensor3D, offset: number): tf.Tensor3D {
  const [b, s, h] = x.shape; // [batch, seq, hidden]
  if (offset === 0) return x;
  if (Math.abs(offset) >= s) return tf.zeros([b, s, h]);
  if (offset > 0) {
    const kept = tf.slice(x, [0, offset, 0], [b, s - offset, h]); // [batch, seq-offset, hidden]
    return tf.pad(kept, [[0, 0], [0, offset], [0, 0]]);
  }
  const kept = tf.slice(x, [0, 0, 0], [b, s + offset, h]); // [batch, seq+offset, hidden]
  return tf.pad(kept, [[0, 0], [-offset, 0], [0, 0]]);
}
