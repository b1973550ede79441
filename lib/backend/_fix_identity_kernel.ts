/**
 * Identity on wasm without a copy. tfjs-backend-wasm's Identity allocates a new buffer and
 * copies the input (kernels/Identity.js); the cpu backend and wasm's own Reshape share the data
 * and increment its reference count instead, which is safe because tfjs tensors are immutable.
 * A training step calls Identity ~190 times (gradient bookkeeping, `tf.keep`, clones before
 * assignment): 13 ms of a 240 ms step in the bench's small Transformer. String tensors keep the
 * original kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { type Fix, kernelFix } from "./_fix.ts";

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export const identityKernelFix: Fix = kernelFix(
  "identity-kernel:share-data",
  "Identity on wasm shares the input's data (reference count) instead of copying it",
  () => {
    const original = tf.getKernel("Identity", "wasm");
    if (original == null) {
      throw new Error("identity-kernel fix: wasm Identity kernel is not registered");
    }
    const kernelFunc: tf.KernelFunc = (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === "string") return original.kernelFunc(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    };
    return [{ kernelName: "Identity", backendName: "wasm", kernelFunc }];
  },
);
