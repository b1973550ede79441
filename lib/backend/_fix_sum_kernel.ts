/**
 * Sum over leading axes on wasm (bias and LayerNorm-gain gradients: dy [N, H] summed over N).
 * tfjs-backend-wasm transposes the reduced axes innermost and then sums: 3.1 ms for 1024x512,
 * 0.5 ms for 1024x128. A row of ones times the matrix on XNNPACK, ones[1, R] x x[R, C], does it
 * in 0.15 ms and 0.02 ms. Other reductions (inner axes, non-float32) use the original kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { type Fix, kernelFix } from "./_fix.ts";
import { asRightOperand, prod, type WasmBackendLike } from "./_wasm_heap.ts";

export const sumKernelFix: Fix = kernelFix(
  "sum-kernel:leading-axes-matmul",
  "Sum over leading axes on wasm as ones[1, R] x [R, C] on XNNPACK",
  () => {
    const original = tf.getKernel("Sum", "wasm");
    if (original == null) throw new Error("sum-kernel fix: wasm Sum kernel is not registered");
    // ones[1, R] per backend and R; a few KB, kept for the life of the backend.
    const onesCache = new WeakMap<object, Map<number, tf.TensorInfo>>();
    let wasmBatchMatMul: ((...a: unknown[]) => void) | null = null;
    const bytes = (s: number[]) => new Uint8Array(new Int32Array(s).buffer);
    const kernelFunc: tf.KernelFunc = (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const rank = x.shape.length;
      const rawAxes = args.attrs!.axis as number | number[];
      const axes = [
        ...new Set(
          (Array.isArray(rawAxes) ? rawAxes : [rawAxes]).map((a) => (a < 0 ? a + rank : a)),
        ),
      ]
        .sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
      const R = prod(x.shape.slice(0, axes.length)), C = prod(x.shape.slice(axes.length));
      if (x.dtype !== "float32" || !leading || R < 2 || C === 0) return original.kernelFunc(args);
      const backend = args.backend as WasmBackendLike;
      wasmBatchMatMul ??= backend.wasm.cwrap("BatchMatMul", null, [
        "number",
        "array",
        "number",
        "number",
        "array",
        "number",
        "number",
        "number",
        "number",
      ]);
      let perBackend = onesCache.get(backend);
      if (perBackend == null) onesCache.set(backend, perBackend = new Map());
      let ones = perBackend.get(R);
      if (ones == null) {
        ones = backend.makeOutput([1, R], "float32");
        backend.typedArrayFromHeap(ones).fill(1);
        perBackend.set(R, ones);
      }
      const keepDims = args.attrs!.keepDims === true;
      const outShape = keepDims
        ? x.shape.map((d, i) => (i < axes.length ? 1 : d))
        : x.shape.slice(axes.length);
      const out = backend.makeOutput(outShape, "float32");
      // x is the weights operand: XNNPACK caches its packing per id, and a reshape shares x's id
      // under another shape, so a second shape gets its own id (asRightOperand)
      asRightOperand(backend, x, [R, C], (xId) =>
        wasmBatchMatMul!(
          backend.dataIdMap.get(ones!.dataId).id,
          bytes([1, 1, R]),
          3,
          xId,
          bytes([1, R, C]),
          3,
          false,
          false,
          backend.dataIdMap.get(out.dataId).id,
        ));
      return out;
    };
    return [{ kernelName: "Sum", backendName: "wasm", kernelFunc }];
  },
);
