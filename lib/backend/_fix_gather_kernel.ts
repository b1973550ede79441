/**
 * Forward `tf.gather` on wasm: tfjs's wasm GatherV2 kernel takes about 9 ms to pick 2048 rows of
 * 128 floats (an element-wise strided copy plus a bounds-check closure per index). For the
 * embedding case (axis 0, batchDims 0) this kernel copies whole rows with `TypedArray.set` on
 * the wasm heap (about 0.1 ms). It also covers axis == batchDims (batched lookups), where the
 * original wasm kernel (4.22) returns wrong rows: x [3,20,4], ids [3,5], axis 1, batchDims 1 gives
 * rows of batch 0's table for batches 1 and 2 (the cpu backend is right); see
 * _fix_gather_grad_test.ts. Other axes go to the original kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { type Fix, kernelFix } from "./_fix.ts";
import { prod, type WasmBackendLike } from "./_wasm_heap.ts";

export const gatherKernelFix: Fix = kernelFix(
  "gather-kernel:wasm-row-copy",
  "GatherV2 forward on wasm (axis == batchDims) copies whole rows; also right for batchDims > 0",
  () => {
    const original = tf.getKernel("GatherV2", "wasm");
    if (original == null) {
      throw new Error("gather-kernel fix: wasm GatherV2 kernel is not registered");
    }
    return [{
      kernelName: "GatherV2",
      backendName: "wasm",
      kernelFunc: (args) => {
        const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
        const rank = x.shape.length;
        const rawAxis = args.attrs!.axis as number;
        const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
        const rawBd = (args.attrs!.batchDims as number) ?? 0;
        const bd = rawBd < 0 ? rawBd + indices.shape.length : rawBd;
        if (
          axis !== bd || rank === 0 ||
          prod(x.shape.slice(0, bd)) !== prod(indices.shape.slice(0, bd))
        ) {
          return original.kernelFunc(args);
        }
        const backend = args.backend as WasmBackendLike;
        // x [batch, V, inner], indices [batch, n] -> out [batch, n, inner]
        const batch = prod(x.shape.slice(0, bd)), V = x.shape[axis];
        const inner = prod(x.shape.slice(axis + 1)), n = prod(indices.shape.slice(bd));
        const out = backend.makeOutput(
          [...x.shape.slice(0, axis), ...indices.shape.slice(bd), ...x.shape.slice(axis + 1)],
          x.dtype,
        );
        const o = backend.typedArrayFromHeap(out); // views after makeOutput (heap may grow)
        const xv = backend.typedArrayFromHeap(x);
        const iv = backend.typedArrayFromHeap(indices);
        for (let b = 0; b < batch; b++) {
          for (let j = 0; j < n; j++) {
            const r = iv[b * n + j];
            if (!(r >= 0 && r < V)) {
              throw new RangeError(
                `GatherV2 (wasm fix): index ${r} at position ${b * n + j} is not in [0, ${V - 1}]`,
              );
            }
            const src = (b * V + r) * inner;
            o.set(xv.subarray(src, src + inner), (b * n + j) * inner);
          }
        }
        return out;
      },
    }];
  },
);
