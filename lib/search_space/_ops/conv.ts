import * as tf from "@tensorflow/tfjs";
import { FUSED_KERNEL_NAMES as FUSED, fusedKernelsActive } from "../../backend/mod.ts";
import { linear } from "./linear.ts";
import { addMacs } from "./macs.ts";
import { shiftSeq } from "./shift.ts";

/**
 * Depthwise-separable 1-D convolution along the sequence, "same" padding, then ReLU.
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
  addMacs(b * s * k * h);
  return tf.relu(linear(depthwiseConv1d(x, depthwise, dilation), pointwise, bias)) as tf.Tensor3D;
}

/**
 * The depthwise part: y[:, t] = sum over taps j of x[:, t + (j - floor(k / 2)) dilation] * w[j]
 * (zeros outside the sequence). On wasm with the fused kernels on, one kernel forward and two
 * backward (lib/backend `_fused.wat` dwconv: the same products and additions in the same order);
 * else k shifted multiply-adds (slice / pad / mul have wasm gradients; wasm has no depthwise or
 * conv backprop kernels), about 6 kernels per tap each way.
 */
export function depthwiseConv1d(x: tf.Tensor3D, w: tf.Tensor2D, dilation: number): tf.Tensor3D {
  if (!fusedKernelsActive() || x.dtype !== "float32" || w.dtype !== "float32") {
    return compositeDepthwise(x, w, dilation);
  }
  const f = customGrad(
    (xi: tf.Tensor3D, wi: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
      save([xi, wi]);
      return {
        value: tf.engine().runKernel(FUSED.depthwiseConv, { x: xi, w: wi }, {
          dilation,
          flip: false,
        }) as tf.Tensor,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
          tf.engine().runKernel(FUSED.depthwiseConv, { x: dy, w: saved[1] }, {
            dilation,
            flip: true,
          }) as tf.Tensor,
          tf.engine().runKernel(FUSED.depthwiseConvFilterGrad, { x: saved[0], dy }, {
            taps: w.shape[0],
            dilation,
          }) as tf.Tensor,
        ],
      };
    },
  );
  return f(x, w) as tf.Tensor3D;
}

// `never[]` lets `f` declare its own parameter types (tensors, then the `save` callback)
const customGrad = tf.customGrad as unknown as (
  f: (...args: never[]) => {
    value: tf.Tensor;
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
  },
) => (...args: tf.Tensor[]) => tf.Tensor;

function compositeDepthwise(x: tf.Tensor3D, w: tf.Tensor2D, dilation: number): tf.Tensor3D {
  const h = x.shape[2], k = w.shape[0], half = Math.floor(k / 2);
  let acc: tf.Tensor | null = null;
  for (let t = 0; t < k; t++) {
    const tap = tf.reshape(tf.slice(w, [t, 0], [1, h]), [h]); // [hidden]
    const term = tf.mul(shiftSeq(x, (t - half) * dilation), tap); // [batch, seq, hidden]
    acc = acc === null ? term : tf.add(acc, term);
  }
  return acc as tf.Tensor3D;
}
