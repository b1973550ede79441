import * as tf from "@tensorflow/tfjs";

/**
 * Embedding lookup `table[ids]` with a gradient that works on wasm: tf.gather's registered
 * gradient needs UnsortedSegmentSum, which wasm lacks; here the table gradient is
 * `scatterND(ids, dy)` (ScatterNd sums repeated ids and exists on wasm).
 * ids: [batch, seq] int32; table: [rows, dim] -> [batch, seq, dim].
 */
export function embed(table: tf.Tensor2D, ids: tf.Tensor2D): tf.Tensor3D {
  const [b, s] = ids.shape;
  const [rows, dim] = table.shape;
  const flat = tf.reshape(ids, [b * s]) as tf.Tensor1D;
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const t = args[0] as tf.Tensor2D;
    (args[1] as tf.GradSaveFunc)([flat]);
    const value = tf.gather(t, flat); // [batch*seq, dim]
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const idx = tf.reshape(saved[0], [b * s, 1]); // [batch*seq, 1]
        return tf.scatterND(idx, dy, [rows, dim]); // [rows, dim]
      },
    };
  });
  return tf.reshape(lookup(table), [b, s, dim]) as tf.Tensor3D;
}
