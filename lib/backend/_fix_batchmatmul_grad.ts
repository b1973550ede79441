/**
 * BatchMatMul gradient without transpose flags. tfjs's registered gradient computes
 * dA = matMul(dC, B, false, true) and dB = matMul(A, dC, true, false); on wasm a matmul with a
 * transpose flag leaves XNNPACK for a generic loop and is 10-15x slower (1024x128 by 128x128:
 * 20 ms with the flag, 1.4 ms as an explicit transpose followed by a plain matmul).
 *
 * This gradient uses only explicit `tf.transpose` (of the last two axes) and plain `tf.matMul`,
 * handles the transposeA/transposeB attributes of the forward op, and sums the gradient over
 * broadcast batch axes (rank 3 and 4 with batch broadcasting; the stock gradient does not
 * reduce them and fails for broadcast batches). With C = op(A) op(B):
 *   none:  dA = dC T(B),      dB = T(A) dC
 *   tB:    dA = dC B,         dB = T(dC) A
 *   tA:    dA = B T(dC),      dB = A dC
 *   tA,tB: dA = T(B) T(dC),   dB = T(dC) T(A)
 */
import * as tf from "@tensorflow/tfjs";
import { type Fix, gradientFix } from "./_fix.ts";

/** Transposes the last two axes. */
export function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

/** Sums `g` over the axes that broadcasting added or expanded, then reshapes to `shape`. */
export function sumToShape(g: tf.Tensor, shape: number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const axes: number[] = [];
  const lead = g.rank - shape.length;
  for (let i = 0; i < g.rank; i++) {
    const s = i < lead ? 1 : shape[i - lead];
    if (i < lead || (s === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? tf.sum(g, axes) : g;
  return tf.reshape(summed, shape);
}

export const batchMatMulGradFix: Fix = gradientFix(
  "batchmatmul-grad:explicit-transpose",
  "BatchMatMul gradient with explicit transposes and plain matmuls; reduces broadcast batch axes",
  () => [{
    kernelName: "BatchMatMul",
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const dc = dy as tf.Tensor;
      const tA = attrs.transposeA === true, tB = attrs.transposeB === true;
      const T = swapLast;
      return {
        a: () => {
          let g: tf.Tensor;
          if (!tA && !tB) g = tf.matMul(dc, T(b));
          else if (!tA && tB) g = tf.matMul(dc, b);
          else if (tA && !tB) g = tf.matMul(b, T(dc));
          else g = tf.matMul(T(b), T(dc));
          return sumToShape(g, a.shape);
        },
        b: () => {
          let g: tf.Tensor;
          if (!tA && !tB) g = tf.matMul(T(a), dc);
          else if (!tA && tB) g = tf.matMul(T(dc), a);
          else if (tA && !tB) g = tf.matMul(a, dc);
          else g = tf.matMul(T(dc), T(a));
          return sumToShape(g, b.shape);
        },
      };
    },
  }],
);
