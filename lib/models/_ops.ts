/**
 * Fast building blocks for the models, with hand-written gradients tuned for the wasm backend.
 *
 * Why custom gradients: on tfjs-backend-wasm 4.22, `BatchMatMul` with `transposeA`/`transposeB`
 * is ~10x slower than an explicit `tf.transpose` followed by a plain matmul, and tfjs's
 * registered matmul gradient uses those flags. wasm also lacks `UnsortedSegmentSum`, so the
 * registered `tf.gather` gradient throws. Every op here therefore carries its own gradient that
 * uses explicit transposes (`linear`, `bmm`), `tf.scatterND` (`embeddingLookup`), or fewer
 * kernels than autodiff would record (`layerNorm`, `geluErf`). They are correct on every
 * backend; the gradients are checked against finite differences in `_ops_test.ts`.
 *
 * Layout: linear weights are stored [in, out] (so `x · W` needs no transpose); Hugging Face
 * stores them [out, in] and `_layout.ts` converts at import/export.
 */
import * as tf from "@tensorflow/tfjs";
import type { Prng } from "../random/mod.ts";
import {
  batchMatMulSupported,
  FUSED_KERNEL_NAMES as FUSED,
  fusedKernelsActive,
} from "../backend/mod.ts";

type Saver = (tensors: tf.Tensor[]) => void;

/** `tf.tidy` for functions returning plain objects/arrays of tensors (typed as the caller's T). */
export function tidy<T>(f: () => T): T {
  return tf.tidy(f as unknown as () => tf.TensorContainer) as unknown as T;
}

// `never[]` lets `f` declare its own parameter types (tensors, then the `save` callback).
const customGrad = tf.customGrad as unknown as (
  f: (...args: never[]) => {
    value: tf.Tensor;
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  },
) => (...args: tf.Tensor[]) => tf.Tensor;

const _linear2d = customGrad((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: Saver) => {
  save([x, w]);
  const value = tf.fused.matMul({ a: x, b: w, bias: b }); // [n, out]
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [
        tf.matMul(dy2, tf.transpose(ws)), // [n, in]
        tf.matMul(tf.transpose(xs), dy2), // [in, out]
        tf.sum(dy2, 0), // [out]
      ];
    },
  };
});

const _linear2dNoBias = customGrad((x: tf.Tensor2D, w: tf.Tensor2D, save: Saver) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
        tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
      ];
    },
  };
});

/** `x · w + b` over the last axis. x [..., in], w [in, out], b [out] or null -> [..., out]. */
export function linear<T extends tf.Tensor>(x: T, w: tf.Tensor, b: tf.Tensor | null): T {
  const inDim = x.shape[x.shape.length - 1];
  if (w.shape[0] !== inDim) {
    throw new RangeError(
      `linear: input last dim ${inDim} does not match weight [in, out] ${w.shape}`,
    );
  }
  const outDim = w.shape[1] as number;
  const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]); // [n, in]
  const y = b === null ? _linear2dNoBias(x2, w) : _linear2d(x2, w, b); // [n, out]
  return (x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outDim])) as T;
}

function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  return tf.transpose(t, perm);
}

/**
 * a [..., m, k] x b [..., k, n] with equal batch dims: on wasm with the fused kernels on, the
 * SIMD batched kernel for n % 4 = 0 (the attention products: 4-6x XNNPACK's per-batch packing,
 * measured by the bench's fused section), else tf.matMul.
 */
function batchedMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (
    fusedKernelsActive() && a.dtype === "float32" && b.dtype === "float32" &&
    batchMatMulSupported(a.shape, b.shape)
  ) {
    return tf.engine().runKernel(FUSED.batchMatMul, { a, b }, {}) as tf.Tensor;
  }
  return tf.matMul(a, b);
}

/** Batched matmul without transpose flags in forward or backward. a [..., m, k], b [..., k, n]. */
export const bmm = customGrad((a: tf.Tensor, b: tf.Tensor, save: Saver) => {
  save([a, b]);
  return {
    value: batchedMatMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [as, bs] = saved;
      return [batchedMatMul(dy, swapLast(bs)), batchedMatMul(swapLast(as), dy)];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * softmax(scores + mask) over the last axis: attention's probabilities, the additive key mask
 * [b, 1, 1, s] (0 attended, -1e9 padded) broadcast over heads and query rows. On wasm with the
 * fused kernels on, one kernel each way (_fused.wat `masked_softmax`, `softmax_grad`; exp to
 * about 2e-8 relative, masked keys exactly 0), else `tf.softmax(tf.add(scores, mask))`. The mask
 * is a constant of the batch: no gradient flows to it.
 */
export function maskedSoftmax<T extends tf.Tensor>(scores: T, mask: tf.Tensor): T {
  if (!fusedKernelsActive() || scores.dtype !== "float32" || mask.dtype !== "float32") {
    return tf.softmax(tf.add(scores, mask)) as T;
  }
  const f = customGrad((x: tf.Tensor, save: Saver) => {
    const y = tf.engine().runKernel(FUSED.maskedSoftmax, { x, mask }, {}) as tf.Tensor;
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.engine().runKernel(FUSED.softmaxGrad, { dy, y: saved[0] }, {}) as tf.Tensor,
    };
  });
  return f(scores) as T;
}

/**
 * Row lookup table[ids] with a gradient through `tf.scatterND` (which sums duplicate indices),
 * because wasm has no UnsortedSegmentSum kernel. table [vocab, dim], ids int32 [n] -> [n, dim].
 */
export const embeddingLookup = customGrad((table: tf.Tensor2D, ids: tf.Tensor1D, save: Saver) => {
  save([ids]);
  const [vocab, dim] = table.shape;
  return {
    value: tf.gather(table, ids),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const idx = tf.reshape(saved[0], [-1, 1]); // [n, 1]
      return [tf.scatterND(idx, dy, [vocab, dim]), tf.zerosLike(saved[0])];
    },
  };
}) as (table: tf.Tensor, ids: tf.Tensor) => tf.Tensor2D;

/**
 * LayerNorm over the last axis (Ba et al. 2016), with a closed-form gradient. On wasm with the
 * fused kernels on (lib/backend `fusedKernelsActive`), one SIMD kernel each way (9 + 11 tfjs
 * kernels otherwise); the composition below stays for every other backend and for comparison.
 */
export function layerNorm<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): T {
  if (fusedKernelsActive() && x.dtype === "float32") return fusedLayerNorm(x, gamma, beta, eps);
  const f = customGrad((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: Saver) => {
    const axis = xi.rank - 1;
    const mean = tf.mean(xi, axis, true); // [..., 1]
    const xc = tf.sub(xi, mean);
    const variance = tf.mean(tf.square(xc), axis, true);
    const rstd = tf.rsqrt(tf.add(variance, eps)); // [..., 1]
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs, gs] = saved;
        const lead = xh.shape.slice(0, -1).map((_, i) => i);
        const dxhat = tf.mul(dy, gs);
        const m1 = tf.mean(dxhat, axis, true);
        const m2 = tf.mean(tf.mul(dxhat, xh), axis, true);
        const dx = tf.mul(rs, tf.sub(tf.sub(dxhat, m1), tf.mul(xh, m2)));
        return [dx, tf.sum(tf.mul(dy, xh), lead), tf.sum(dy, lead)];
      },
    };
  });
  return f(x, gamma, beta) as T;
}

/** layerNorm through the fused kernels: saves x, gamma and the row statistics [rows, 2]. */
function fusedLayerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, eps: number) {
  const f = customGrad((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: Saver) => {
    const [y, stats] = tf.engine().runKernel(
      FUSED.layerNorm,
      { x: xi, gamma: g, beta: b },
      { eps },
    ) as unknown as tf.Tensor[];
    save([xi, g, stats]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs, st] = saved;
        return tf.engine().runKernel(
          FUSED.layerNormGrad,
          { dy, x: xs, gamma: gs, stats: st },
          {},
        ) as unknown as tf.Tensor[];
      },
    };
  });
  return f(x, gamma, beta) as T;
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (Hendrycks & Gimpel 2016), as in BERT's "gelu".
 * One fused kernel each way on wasm with the fused kernels on (erf by Abramowitz & Stegun
 * 7.1.26, |error| <= 1.5e-7; _fused.wat), else the tfjs composition.
 */
export function geluErf<T extends tf.Tensor>(x: T): T {
  return (fusedKernelsActive() && x.dtype === "float32" ? fusedGelu(x) : compositeGelu(x)) as T;
}

const fusedGelu = customGrad((x: tf.Tensor, save: Saver) => {
  save([x]);
  return {
    value: tf.engine().runKernel(FUSED.gelu, { x }, {}) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.engine().runKernel(FUSED.geluGrad, { x: saved[0], dy }, {}) as tf.Tensor,
  };
}) as <T extends tf.Tensor>(x: T) => T;

const compositeGelu = customGrad((x: tf.Tensor, save: Saver) => {
  save([x]);
  const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, SQRT1_2))));
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const xs = saved[0];
      const c = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(xs, SQRT1_2))));
      const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(xs))));
      return tf.mul(dy, tf.add(c, tf.mul(xs, pdf)));
    },
  };
}) as <T extends tf.Tensor>(x: T) => T;

/** GELU tanh approximation (HF "gelu_new"). */
export function geluTanh<T extends tf.Tensor>(x: T): T {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner))) as T;
}

export type Activation = "gelu" | "gelu_new" | "relu";

export function activate<T extends tf.Tensor>(x: T, act: Activation): T {
  switch (act) {
    case "gelu":
      return geluErf(x);
    case "gelu_new":
      return geluTanh(x);
    case "relu":
      return tf.relu(x);
  }
}

/**
 * Seeded inverted dropout: keeps each element with probability 1 - rate and scales by
 * 1/(1 - rate). The mask is drawn from `rng` in plain JS (sfc32 integers against a threshold),
 * which is several times faster on wasm than `tf.randomUniform`; null `rng` = no dropout.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, rng: Prng | null): T {
  if (rate <= 0 || rng === null) return x;
  if (rate >= 1) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  if (fusedKernelsActive() && x.dtype === "float32") return fusedDropout(x, rate, rng);
  const n = x.size;
  const mask = new Float32Array(n);
  const threshold = Math.floor(rate * 4294967296);
  const scale = 1 / (1 - rate);
  for (let i = 0; i < n; i++) mask[i] = rng.nextUint32() >= threshold ? scale : 0;
  return tf.mul(x, tf.tensor(mask, x.shape, "float32")) as T;
}

/**
 * dropout through the fused kernel: the same sfc32 draws, masks and products, made in wasm (the
 * JS loop cost about 2-5 ms per 131k elements here, over 1M elements per KD step); `rng` is
 * advanced exactly as the JS loop would. The gradient is dy times the saved mask.
 */
function fusedDropout<T extends tf.Tensor>(x: T, rate: number, rng: Prng): T {
  const threshold = Math.floor(rate * 4294967296);
  const scale = 1 / (1 - rate);
  const f = customGrad((xi: tf.Tensor, save: Saver) => {
    const [y, mask, state] = tf.engine().runKernel(
      FUSED.dropout,
      { x: xi },
      { state: [...rng.state()], threshold, scale },
    ) as unknown as tf.Tensor[];
    rng.setState(state.dataSync());
    save([mask]);
    return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]) };
  });
  return f(x) as T;
}
