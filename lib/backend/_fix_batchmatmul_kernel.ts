/**
 * BatchMatMul forward kernel for wasm that stays on XNNPACK.
 *
 * tfjs-backend-wasm (4.22, src/cc/batch_mat_mul_impl.cc) uses XNNPACK only when both operands
 * have batch 1 and no transpose flag is set; everything else goes to a scalar blocked loop
 * (about 1.7 GFLOP/s against 25-30 on XNNPACK). That loop is hit by:
 * - any transpose flag (the stock matMul gradient, `matMul(q, k, false, true)` in attention);
 * - `[batch, seq, H] x [H, F]` (3-D activations times a 2-D weight: batch of b is 1, of a is not);
 * - batched attention products `[B, heads, T, d] x [B, heads, d, T]`.
 * This kernel (i) applies transpose flags as explicit Transpose kernels, (ii) folds the batch of
 * `a` into its rows when `b` has batch 1, (iii) runs equal-batch products as one XNNPACK matmul per
 * batch entry on views of the wasm heap (no copies). Broadcast batches with both sides > 1 go to
 * the original kernel. Results equal the original kernel's up to float rounding.
 */
import * as tf from "@tensorflow/tfjs";
import { type Fix, kernelFix } from "./_fix.ts";
import { asRightOperand, type WasmBackendLike as HeapBackend } from "./_wasm_heap.ts";

interface TensorData {
  id: number;
  memoryOffset: number;
  refCount: number;
}
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  disposeData(dataId: object): boolean;
  dataIdMap: { get(dataId: object): TensorData; delete(dataId: object): boolean };
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
    tfjs: { disposeData(id: number): void };
  };
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
const sameShape = (x: number[], y: number[]) =>
  x.length === y.length && x.every((d, i) => d === y[i]);

export const batchMatMulKernelFix: Fix = kernelFix(
  "batchmatmul-kernel:xnnpack-paths",
  "BatchMatMul on wasm: transpose flags as explicit transposes, 3-D x 2-D folded into one 2-D " +
    "matmul, equal batches as per-entry XNNPACK matmuls on heap views",
  () => {
    const original = tf.getKernel("BatchMatMul", "wasm");
    const transposeKernel = tf.getKernel("Transpose", "wasm");
    if (original == null || transposeKernel == null) {
      throw new Error(
        "batchmatmul-kernel fix: wasm BatchMatMul/Transpose kernels are not registered",
      );
    }
    let wasmBatchMatMul: ((...a: unknown[]) => void) | null = null;
    const shapeBytes = (s: number[]) => new Uint8Array(new Int32Array(s).buffer);

    const kernelFunc: tf.KernelFunc = (args) => {
      const backend = args.backend as WasmBackendLike;
      let a = args.inputs.a as tf.TensorInfo;
      let b = args.inputs.b as tf.TensorInfo;
      const tA = args.attrs?.transposeA === true, tB = args.attrs?.transposeB === true;
      if (a.dtype !== "float32" || b.dtype !== "float32") return original.kernelFunc(args);
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
      const temps: tf.TensorInfo[] = [];
      const swap = (x: tf.TensorInfo) => {
        const perm = [...x.shape.keys()];
        const r = x.shape.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        const t = transposeKernel.kernelFunc({
          inputs: { x },
          backend,
          attrs: { perm },
        }) as tf.TensorInfo;
        temps.push(t);
        return t;
      };
      try {
        if (tA) a = swap(a);
        if (tB) b = swap(b);
        const ra = a.shape.length, rb = b.shape.length;
        const [m, k] = a.shape.slice(ra - 2), [k2, n] = b.shape.slice(rb - 2);
        if (k !== k2) {
          throw new RangeError(
            `BatchMatMul (wasm fix): inner sizes differ, a [${a.shape}] b [${b.shape}] ` +
              `(transposeA=${tA}, transposeB=${tB})`,
          );
        }
        const aBatch = a.shape.slice(0, -2), bBatch = b.shape.slice(0, -2);
        const outBatch = tf.backend_util.assertAndGetBroadcastShape(aBatch, bBatch);
        const outShape = [...outBatch, m, n];
        const batchA = prod(aBatch), batchB = prod(bBatch);
        const call = (aId: number, aS: number[], bId: number, bS: number[], outId: number) =>
          wasmBatchMatMul!(aId, shapeBytes(aS), 3, bId, shapeBytes(bS), 3, false, false, outId);
        if (batchB === 1 && prod(outBatch) === batchA) {
          // [..., m, k] x [k, n]: one [batchA*m, k] x [k, n] matmul on XNNPACK.
          // b through a fresh id: XNNPACK caches b's packing per id, not per shape, and a
          // reshape shares b's id under another shape (asRightOperand in _wasm_heap.ts).
          const out = backend.makeOutput(outShape, "float32");
          asRightOperand(backend as unknown as HeapBackend, b, [k, n], (bId) =>
            call(
              backend.dataIdMap.get(a.dataId).id,
              [1, batchA * m, k],
              bId,
              [1, k, n],
              backend.dataIdMap.get(out.dataId).id,
            ));
          return out;
        }
        if (batchA === batchB && sameShape(aBatch, bBatch) && batchA > 1) {
          const out = backend.makeOutput(outShape, "float32");
          const aOff = backend.dataIdMap.get(a.dataId).memoryOffset;
          const bOff = backend.dataIdMap.get(b.dataId).memoryOffset;
          const oOff = backend.dataIdMap.get(out.dataId).memoryOffset;
          for (let i = 0; i < batchA; i++) {
            // Views on the heap: registered under fresh ids (XNNPACK caches packed weights per id)
            // and released without free() since they do not own their memory.
            const av = backend.makeOutput([1, m, k], "float32", aOff + 4 * i * m * k);
            const bv = backend.makeOutput([1, k, n], "float32", bOff + 4 * i * k * n);
            const ov = backend.makeOutput([1, m, n], "float32", oOff + 4 * i * m * n);
            const views = [av, bv, ov].map((v) => ({ v, d: backend.dataIdMap.get(v.dataId) }));
            call(views[0].d.id, [1, m, k], views[1].d.id, [1, k, n], views[2].d.id);
            for (const { v, d } of views) {
              backend.wasm.tfjs.disposeData(d.id);
              backend.dataIdMap.delete(v.dataId);
            }
          }
          return out;
        }
        return original.kernelFunc({
          inputs: { a, b },
          backend,
          attrs: { transposeA: false, transposeB: false },
        });
      } finally {
        for (const t of temps) backend.disposeData(t.dataId);
      }
    };
    return [{ kernelName: "BatchMatMul", backendName: "wasm", kernelFunc }];
  },
);
