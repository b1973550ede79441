/**
 * The fused kernels as tfjs kernels of the wasm backend (so `tf.profile` counts them and the
 * engine tracks their outputs): each runs one function of `_fused.wat` on tensors in place.
 *
 * | kernel | inputs | attrs | outputs | replaces (tfjs kernels per call) |
 * |---|---|---|---|---|
 * | RosearchSumSquares | x0..xk | | [] sum of x^2 over all | k x (Square, Sum) + AddN |
 * | RosearchAdamW | theta_i, g_i, m_i, v_i | AdamWAttrs | theta_i' | ~15 per parameter |
 * | RosearchLayerNorm | x, gamma, beta | eps | y, stats [rows, 2] | 9 |
 * | RosearchLayerNormGrad | dy, x, gamma, stats | | dx, dgamma, dbeta | 11 |
 * | RosearchBatchMatMul | a [..., m, k], b [..., k, n] | | [..., m, n] | 1 (n % 4 = 0) |
 * | RosearchDropout | x | state (sfc32), threshold, scale | y, mask, state int32 [4] | 2 |
 * | RosearchDepthwiseConv | x [b, s, c], w [taps, c] | dilation, flip | y [b, s, c] | 6 per tap |
 * | RosearchDepthwiseConvFilterGrad | x, dy | taps, dilation | dw [taps, c] | ~6 per tap |
 * | RosearchMaskedSoftmax | x [..., s], mask (additive, [b, ..., s]) | | softmax(x + mask) | 2 |
 * | RosearchSoftmaxGrad | dy, y | | dx | 9 |
 * | RosearchGelu / RosearchGeluGrad | x (, dy) | | y / dx | 6 / 11 |
 *
 * Rules (docs/FUSED_KERNELS.md): a kernel never writes into an input, except AdamW's moments m
 * and v, which belong to the optimizer alone (checked: reference count 1); new parameter values
 * go to new buffers, because XNNPACK caches packed weights by tensor id. Every offset is read
 * after the last `makeOutput` of the kernel (an allocation can grow the heap). float32 only.
 */
import type * as tf from "@tensorflow/tfjs";
import { fusedExports } from "./_fused_module.ts";
import { prod, type WasmBackendLike } from "./_wasm_heap.ts";

export const FUSED_KERNEL_NAMES = {
  sumSquares: "RosearchSumSquares",
  adamW: "RosearchAdamW",
  layerNorm: "RosearchLayerNorm",
  layerNormGrad: "RosearchLayerNormGrad",
  batchMatMul: "RosearchBatchMatMul",
  dropout: "RosearchDropout",
  depthwiseConv: "RosearchDepthwiseConv",
  depthwiseConvFilterGrad: "RosearchDepthwiseConvFilterGrad",
  maskedSoftmax: "RosearchMaskedSoftmax",
  softmaxGrad: "RosearchSoftmaxGrad",
  gelu: "RosearchGelu",
  geluGrad: "RosearchGeluGrad",
} as const;

/** AdamW's scalars, already in the form tfjs's AdamOptimizer uses them (see lib/distill). */
export interface AdamWAttrs {
  /** Gradient multiplier (global-norm clipping), 1 for none. */
  scale: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t, as tfjs computes them (f32 products). */
  biasCorrection1: number;
  biasCorrection2: number;
  /** Per parameter: 1 - lr * weightDecay, or 1 for parameters without decay. */
  keep: number[];
}

interface Backend extends WasmBackendLike {
  dataIdMap: WasmBackendLike["dataIdMap"];
}

function float32(name: string, kernel: string, t: tf.TensorInfo): void {
  if (t.dtype !== "float32") {
    throw new TypeError(`${kernel}: input ${name} must be float32, got ${t.dtype}`);
  }
}

function sameShape(kernel: string, a: tf.TensorInfo, b: tf.TensorInfo, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${kernel}: ${what} have shapes [${a.shape}] and [${b.shape}]`);
  }
}

const offset = (b: Backend, t: tf.TensorInfo) => b.dataIdMap.get(t.dataId).memoryOffset;

function sumSquares(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const inputs = Object.entries(args.inputs) as [string, tf.TensorInfo][];
  let total = 0; // f64 across tensors and 256-float blocks, f32 (8 lanes) within a block
  for (const [name, t] of inputs) {
    float32(name, FUSED_KERNEL_NAMES.sumSquares, t);
    const n = prod(t.shape);
    if (n > 0) total += k.sum_squares(offset(backend, t), n);
  }
  const out = backend.makeOutput([], "float32");
  (backend.typedArrayFromHeap(out) as Float32Array)[0] = total;
  return out;
}

function adamW(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo[] {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const a = args.attrs as unknown as AdamWAttrs;
  const name = FUSED_KERNEL_NAMES.adamW;
  const count = a.keep.length;
  const get = (key: string) => {
    const t = args.inputs[key] as tf.TensorInfo | undefined;
    if (!t) throw new RangeError(`${name}: missing input ${key} (attrs.keep has ${count})`);
    float32(key, name, t);
    return t;
  };
  const groups = Array.from({ length: count }, (_, i) => {
    const [theta, g, m, v] = ["theta", "g", "m", "v"].map((p) => get(`${p}${i}`));
    for (const [label, t] of [["g", g], ["m", m], ["v", v]] as const) {
      sameShape(name, theta, t, `theta${i} and ${label}${i}`);
    }
    for (const [label, t] of [["m", m], ["v", v]] as const) {
      const refs = backend.dataIdMap.get(t.dataId).refCount;
      if (refs !== 1) {
        throw new Error(
          `${name}: ${label}${i} is shared (${refs} references); it is updated in place`,
        );
      }
    }
    return { theta, g, m, v };
  });
  const outs = groups.map(({ theta }) => backend.makeOutput([...theta.shape], "float32"));
  const f32 = Math.fround;
  const b1 = f32(a.beta1), b2 = f32(a.beta2);
  groups.forEach(({ theta, g, m, v }, i) => {
    const n = prod(theta.shape);
    if (n === 0) return;
    k.adamw(
      offset(backend, theta),
      offset(backend, g),
      offset(backend, m),
      offset(backend, v),
      offset(backend, outs[i]),
      n,
      a.scale,
      a.keep[i],
      b1,
      1 - a.beta1,
      b2,
      1 - a.beta2,
      a.biasCorrection1,
      a.biasCorrection2,
      a.epsilon,
      -a.learningRate,
    );
  });
  return outs;
}

/** [rows, cols] of a LayerNorm input normalised over its last axis. */
function rowsCols(kernel: string, x: tf.TensorInfo, gamma: tf.TensorInfo): [number, number] {
  const cols = x.shape[x.shape.length - 1] ?? 1;
  if (gamma.shape.length !== 1 || gamma.shape[0] !== cols) {
    throw new RangeError(`${kernel}: gamma must be [${cols}], got [${gamma.shape}]`);
  }
  return [prod(x.shape) / Math.max(cols, 1), cols];
}

function layerNorm(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo[] {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { x, gamma, beta } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.layerNorm;
  for (const [label, t] of [["x", x], ["gamma", gamma], ["beta", beta]] as const) {
    float32(label, name, t);
  }
  const [rows, cols] = rowsCols(name, x, gamma);
  sameShape(name, gamma, beta, "gamma and beta");
  const y = backend.makeOutput([...x.shape], "float32");
  const stats = backend.makeOutput([rows, 2], "float32");
  if (rows > 0 && cols > 0) {
    k.layer_norm(
      offset(backend, x),
      offset(backend, gamma),
      offset(backend, beta),
      offset(backend, y),
      offset(backend, stats),
      rows,
      cols,
      args.attrs!.eps as number,
    );
  }
  return [y, stats];
}

function layerNormGrad(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown },
): tf.TensorInfo[] {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { dy, x, gamma, stats } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.layerNormGrad;
  for (const [label, t] of [["dy", dy], ["x", x], ["gamma", gamma], ["stats", stats]] as const) {
    float32(label, name, t);
  }
  sameShape(name, dy, x, "dy and x");
  const [rows, cols] = rowsCols(name, x, gamma);
  if (stats.shape[0] !== rows || stats.shape[1] !== 2) {
    throw new RangeError(`${name}: stats must be [${rows}, 2], got [${stats.shape}]`);
  }
  const dx = backend.makeOutput([...x.shape], "float32");
  const dgamma = backend.makeOutput([cols], "float32");
  const dbeta = backend.makeOutput([cols], "float32");
  if (cols > 0) {
    k.layer_norm_grad(
      offset(backend, dy),
      offset(backend, x),
      offset(backend, gamma),
      offset(backend, stats),
      offset(backend, dx),
      offset(backend, dgamma),
      offset(backend, dbeta),
      rows,
      cols,
    );
  }
  return [dx, dgamma, dbeta];
}

/** Whether a [..., m, k] x b [..., k, n] (equal batch dims, rank >= 3) is one the kernel runs. */
export function batchMatMulSupported(a: readonly number[], b: readonly number[]): boolean {
  const r = a.length;
  if (r < 3 || b.length !== r) return false;
  for (let i = 0; i < r - 2; i++) if (a[i] !== b[i]) return false;
  return a[r - 1] === b[r - 2] && b[r - 1] % 4 === 0;
}

function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { a, b } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.batchMatMul;
  float32("a", name, a);
  float32("b", name, b);
  if (!batchMatMulSupported(a.shape, b.shape)) {
    throw new RangeError(
      `${name}: needs a [..., m, k] and b [..., k, n] with the same batch dims and n % 4 = 0, ` +
        `got [${a.shape}] and [${b.shape}]`,
    );
  }
  const r = a.shape.length;
  const [m, kk, n] = [a.shape[r - 2], a.shape[r - 1], b.shape[r - 1]];
  const batch = prod(a.shape.slice(0, -2));
  const c = backend.makeOutput([...a.shape.slice(0, -1), n], "float32");
  if (batch * m * n > 0) {
    k.bmm(offset(backend, a), offset(backend, b), offset(backend, c), batch, m, kk, n);
  }
  return c;
}

function dropout(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo[] {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const x = args.inputs.x as tf.TensorInfo;
  float32("x", FUSED_KERNEL_NAMES.dropout, x);
  const { state, threshold, scale } = args.attrs as unknown as {
    state: number[];
    threshold: number;
    scale: number;
  };
  const y = backend.makeOutput([...x.shape], "float32");
  const mask = backend.makeOutput([...x.shape], "float32");
  const next = backend.makeOutput([4], "int32");
  const after = k.dropout(
    offset(backend, x),
    offset(backend, y),
    offset(backend, mask),
    prod(x.shape),
    state[0] | 0,
    state[1] | 0,
    state[2] | 0,
    state[3] | 0,
    threshold | 0,
    scale,
  );
  (backend.typedArrayFromHeap(next) as Int32Array).set(after);
  return [y, mask, next];
}

function convShapes(name: string, x: tf.TensorInfo, other: tf.TensorInfo, what: string): void {
  if (x.shape.length !== 3 || other.shape.length !== (what === "w" ? 2 : 3)) {
    throw new RangeError(
      `${name}: needs x [batch, seq, channels] and ${what === "w" ? "w [taps, channels]" : "dy"}` +
        `, got x [${x.shape}] and ${what} [${other.shape}]`,
    );
  }
  if (other.shape.at(-1) !== x.shape[2]) {
    throw new RangeError(`${name}: x [${x.shape}] and ${what} [${other.shape}] differ in channels`);
  }
}

function intAttr(name: string, attr: string, v: unknown, min: number): number {
  if (!Number.isInteger(v) || (v as number) < min) {
    throw new RangeError(`${name}: attribute ${attr} must be an integer >= ${min}, got ${v}`);
  }
  return v as number;
}

/**
 * Depthwise 1-D convolution along the sequence, "same" padding: y[b, t, c] = sum over j of
 * x[b, t + (j - taps / 2) dilation, c] w[j, c]; `flip` mirrors the offsets (the input gradient).
 */
function depthwiseConv(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { x, w } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.depthwiseConv;
  float32("x", name, x);
  float32("w", name, w);
  convShapes(name, x, w, "w");
  const dilation = intAttr(name, "dilation", args.attrs?.dilation, 1);
  const y = backend.makeOutput([...x.shape], "float32");
  const [b, s, c] = x.shape;
  if (prod(x.shape) > 0) {
    const flip = args.attrs?.flip ? 1 : 0;
    k.dwconv(
      offset(backend, x),
      offset(backend, w),
      offset(backend, y),
      b,
      s,
      c,
      w.shape[0],
      dilation,
      flip,
    );
  }
  return y;
}

function depthwiseConvFilterGrad(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.depthwiseConvFilterGrad;
  float32("x", name, x);
  float32("dy", name, dy);
  convShapes(name, x, dy, "dy");
  sameShape(name, x, dy, "x and dy");
  const taps = intAttr(name, "taps", args.attrs?.taps, 1);
  const dilation = intAttr(name, "dilation", args.attrs?.dilation, 1);
  const [b, s, c] = x.shape;
  const dw = backend.makeOutput([taps, c], "float32");
  if (taps * c > 0) {
    k.dwconv_filter_grad(
      offset(backend, x),
      offset(backend, dy),
      offset(backend, dw),
      b,
      s,
      c,
      taps,
      dilation,
    );
  }
  return dw;
}

/**
 * softmax(x + mask) over the last axis, the mask broadcast over the rows between: x [b, ..., s]
 * and mask with b * s elements ([b, 1, 1, s], attention's additive key mask), or s (one row
 * for all).
 */
function maskedSoftmax(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { x, mask } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.maskedSoftmax;
  float32("x", name, x);
  float32("mask", name, mask);
  const cols = x.shape[x.shape.length - 1] ?? 0;
  const n = prod(x.shape), rows = cols > 0 ? n / cols : 0, maskN = prod(mask.shape);
  const maskRows = maskN === cols ? 1 : x.shape[0];
  if (x.shape.length < 2 || maskN !== maskRows * cols || mask.shape.at(-1) !== cols) {
    throw new RangeError(
      `${name}: needs x [b, ..., s] and a mask of b x s (or s) values ending in s, got ` +
        `x [${x.shape}] and mask [${mask.shape}]`,
    );
  }
  const y = backend.makeOutput([...x.shape], "float32");
  if (n > 0) {
    const rowsPerMask = rows / maskRows;
    k.masked_softmax(
      offset(backend, x),
      offset(backend, mask),
      offset(backend, y),
      rows,
      cols,
      rowsPerMask,
    );
  }
  return y;
}

function softmaxGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { dy, y } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.softmaxGrad;
  float32("dy", name, dy);
  float32("y", name, y);
  sameShape(name, dy, y, "dy and y");
  const dx = backend.makeOutput([...y.shape], "float32");
  const cols = y.shape[y.shape.length - 1] ?? 0, n = prod(y.shape);
  if (n > 0) {
    k.softmax_grad(offset(backend, dy), offset(backend, y), offset(backend, dx), n / cols, cols);
  }
  return dx;
}

function gelu(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const x = args.inputs.x as tf.TensorInfo;
  float32("x", FUSED_KERNEL_NAMES.gelu, x);
  const y = backend.makeOutput([...x.shape], "float32");
  const n = prod(x.shape);
  if (n > 0) k.gelu(offset(backend, x), offset(backend, y), n);
  return y;
}

function geluGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as Backend;
  const k = fusedExports(backend);
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const name = FUSED_KERNEL_NAMES.geluGrad;
  float32("x", name, x);
  float32("dy", name, dy);
  sameShape(name, x, dy, "x and dy");
  const dx = backend.makeOutput([...x.shape], "float32");
  const n = prod(x.shape);
  if (n > 0) k.gelu_grad(offset(backend, x), offset(backend, dy), offset(backend, dx), n);
  return dx;
}

/** The kernel configs (for `kernelFix`). */
export function fusedKernelConfigs(): tf.KernelConfig[] {
  const K = FUSED_KERNEL_NAMES;
  const funcs: [string, tf.KernelFunc][] = [
    [K.sumSquares, sumSquares as tf.KernelFunc],
    [K.adamW, adamW as unknown as tf.KernelFunc],
    [K.layerNorm, layerNorm as unknown as tf.KernelFunc],
    [K.layerNormGrad, layerNormGrad as unknown as tf.KernelFunc],
    [K.batchMatMul, batchMatMul as tf.KernelFunc],
    [K.dropout, dropout as unknown as tf.KernelFunc],
    [K.depthwiseConv, depthwiseConv as unknown as tf.KernelFunc],
    [K.depthwiseConvFilterGrad, depthwiseConvFilterGrad as unknown as tf.KernelFunc],
    [K.maskedSoftmax, maskedSoftmax as tf.KernelFunc],
    [K.softmaxGrad, softmaxGrad as tf.KernelFunc],
    [K.gelu, gelu as tf.KernelFunc],
    [K.geluGrad, geluGrad as tf.KernelFunc],
  ];
  return funcs.map(([kernelName, kernelFunc]) => ({ kernelName, backendName: "wasm", kernelFunc }));
}
