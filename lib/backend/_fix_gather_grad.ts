/**
 * Embedding-table gradients on wasm. tfjs's GatherV2 gradient calls `unsortedSegmentSum`,
 * which has no wasm kernel ("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'").
 *
 * Three ways to fix it were measured (30522x128 table, 32x64 ids, wasm, bench section
 * `gather_grad` in experiments/bench/sections/gather_grad.ts):
 * - `segmentSumKernel`: an UnsortedSegmentSum kernel for wasm written in JS on the wasm heap
 *   (zero the output, add each row of x into row segmentIds[i]); tfjs's own GatherV2 gradient
 *   then works unchanged, for every axis and batchDims.
 * - `gatherGradScatter`: a GatherV2 gradient through `tf.scatterND` (sums duplicate ids).
 * - `gatherGradOneHot`: a GatherV2 gradient as oneHot(ids)^T x dy (a [V, n] x [n, H] matmul).
 * Measured (bench section gather_grad, forward lookup + gradient, medians of 15 interleaved
 * runs on a loaded 2-core machine): kernel + direct gradient 4.1 ms, scatterND 4.2 ms, kernel with
 * tfjs's own gradient 5.8 ms (two table-sized identity transposes), one-hot matmul 1360 ms.
 * Installed: the kernel plus the direct gradient (`gatherGradFix`): fastest, and it also makes
 * `tf.unsortedSegmentSum` itself work on wasm.
 */
import * as tf from "@tensorflow/tfjs";
import { combinedFix, type Fix, gradientFix, kernelFix } from "./_fix.ts";

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** UnsortedSegmentSum for wasm: x [n, ...inner], segmentIds [n] -> [numSegments, ...inner]. */
function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const x = args.inputs.x!;
  const ids = args.inputs.segmentIds!;
  const numSegments = args.attrs!.numSegments as number;
  const n = ids.shape.reduce((a, b) => a * b, 1);
  const xSize = x.shape.reduce((a, b) => a * b, 1);
  const inner = n === 0 ? 0 : xSize / n;
  if (!Number.isInteger(inner)) {
    throw new RangeError(
      `UnsortedSegmentSum (wasm fix): x shape [${x.shape}] does not start with ` +
        `segmentIds shape [${ids.shape}]`,
    );
  }
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after makeOutput: a heap growth detaches earlier views.
  const o = backend.typedArrayFromHeap(out);
  const xv = backend.typedArrayFromHeap(x);
  const iv = backend.typedArrayFromHeap(ids);
  o.fill(0);
  for (let i = 0; i < n; i++) {
    const s = iv[i];
    if (s < 0 || s >= numSegments) continue; // TF drops out-of-range ids
    const src = i * inner, dst = s * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xv[src + j];
  }
  return out;
}

/** The missing kernel alone: tfjs's own GatherV2 gradient then works on wasm. */
export const segmentSumKernelFix: Fix = kernelFix(
  "gather-grad:wasm-unsorted-segment-sum",
  "registers an UnsortedSegmentSum kernel for wasm (JS on the wasm heap) so tf.gather has a " +
    "gradient",
  () => [{
    kernelName: "UnsortedSegmentSum",
    backendName: "wasm",
    kernelFunc: unsortedSegmentSumWasm,
  }],
);

/**
 * A GatherV2 gradient fix for the axis-0, batchDims-0 case (embedding tables): `gradX` gets the
 * table, the indices and dy reshaped to [n, ...inner]; other cases keep tfjs's gradient.
 */
function axis0GatherGradFix(
  name: string,
  description: string,
  gradX: (x: tf.Tensor, indices: tf.Tensor, upd: tf.Tensor) => tf.Tensor,
  applies: (x: tf.Tensor) => boolean = () => true,
): Fix {
  return gradientFix(name, description, () => {
    const stock = tf.getGradient("GatherV2");
    return [{
      kernelName: "GatherV2",
      inputsToSave: ["x", "indices"],
      gradFunc: (dy, saved, attrs) => {
        const s = simpleGather(saved, attrs);
        if (s == null || !applies(s[0])) return stock.gradFunc(dy, saved, attrs);
        const [x, indices] = s;
        return {
          x: () => {
            // [n, ...inner]
            const upd = tf.reshape(dy as tf.Tensor, [indices.size, ...x.shape.slice(1)]);
            return gradX(x, indices, upd);
          },
          indices: () => indices,
        };
      },
    }];
  });
}

/**
 * GatherV2 gradient for axis 0 straight into unsortedSegmentSum, without the two transposes of
 * tfjs's gradient (they are identity permutations for axis 0 but still copy the whole table:
 * about 5 ms for 30522x128 on wasm). Other axes/batchDims use tfjs's gradient.
 */
export const gatherDirectGradFix: Fix = axis0GatherGradFix(
  "gather-grad:direct-segment-sum",
  "GatherV2 gradient (axis 0) as one unsortedSegmentSum, no table-sized transposes",
  (x, indices, upd) =>
    tf.unsortedSegmentSum(upd, tf.reshape(indices, [indices.size]) as tf.Tensor1D, x.shape[0]),
);

/** The installed embedding-gradient fix: the wasm kernel plus the direct gradient. */
export const gatherGradFix: Fix = combinedFix(
  "gather-grad:segment-sum-kernel+direct-grad",
  "UnsortedSegmentSum kernel for wasm and a transpose-free GatherV2 gradient for axis 0",
  [segmentSumKernelFix, gatherDirectGradFix],
);

/** Axis-0, batchDims-0 case of GatherV2's gradient, else `null` (caller falls back). */
function simpleGather(saved: tf.Tensor[], attrs: tf.NamedAttrMap): [tf.Tensor, tf.Tensor] | null {
  const [x, indices] = saved;
  const axis = attrs.axis as number;
  const batchDims = (attrs.batchDims as number) ?? 0;
  if ((axis !== 0 && axis !== -x.rank) || batchDims !== 0) return null;
  return [x, indices];
}

/** Alternative (measured, not installed): GatherV2 gradient through scatterND. */
export const gatherGradScatterFix: Fix = axis0GatherGradFix(
  "gather-grad:scatter-nd",
  "GatherV2 gradient (axis 0) through tf.scatterND",
  (x, indices, upd) => tf.scatterND(tf.reshape(indices, [indices.size, 1]), upd, x.shape),
);

/** Alternative (measured, not installed): GatherV2 gradient as oneHot(ids)^T x dy. */
export const gatherGradOneHotFix: Fix = axis0GatherGradFix(
  "gather-grad:one-hot-matmul",
  "GatherV2 gradient (axis 0, 2-D table) as a one-hot matmul",
  (x, indices, upd) => {
    // wasm's OneHot ignores a float32 dtype (writes int32 bits), so cast explicitly.
    // [n, V]
    const oh = tf.cast(tf.oneHot(tf.reshape(indices, [indices.size]), x.shape[0]), "float32");
    return tf.matMul(tf.transpose(oh), upd); // [V, H]
  },
  (x) => x.rank === 2,
);
