import * as tf from "@tensorflow/tfjs";
import { shiftSeq } from "./shift.ts";

/**
 * Max or average pooling along the sequence (window w, stride 1, "same"), padding tokens
 * excluded: max ignores them, average divides by the number of real tokens in the window.
 * x: [batch, seq, hidden]; mask: [batch, seq, 1] (1 token, 0 padding). Output padding rows are 0.
 */
export function seqPool(
  x: tf.Tensor3D,
  mask: tf.Tensor3D,
  mode: "max" | "avg",
  window: number,
): tf.Tensor3D {
  const half = Math.floor(window / 2);
  const offsets = Array.from({ length: window }, (_, t) => t - half);
  if (mode === "max") {
    const neg = tf.mul(tf.sub(1, mask), -1e9); // [batch, seq, 1]: -1e9 on padding
    const xm = tf.add(tf.mul(x, mask), neg) as tf.Tensor3D;
    let m = xm;
    for (const o of offsets) {
      if (o === 0) continue;
      // shifted-out positions are 0 after shiftSeq: push them to -1e9 too
      const shiftedMask = shiftSeq(mask, o);
      const sh = tf.add(shiftSeq(xm, o), tf.mul(tf.sub(1, shiftedMask), -1e9));
      m = tf.maximum(m, sh);
    }
    return tf.mul(m, mask) as tf.Tensor3D;
  }
  const xm = tf.mul(x, mask) as tf.Tensor3D;
  let sum: tf.Tensor = xm, count: tf.Tensor = mask;
  for (const o of offsets) {
    if (o === 0) continue;
    sum = tf.add(sum, shiftSeq(xm, o));
    count = tf.add(count, shiftSeq(mask, o));
  }
  return tf.mul(tf.div(sum, tf.maximum(count, 1)), mask) as tf.Tensor3D;
}
