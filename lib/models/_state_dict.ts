/**
 * Between a model's variables (internal layout, `_layout.ts`) and a Hugging Face style state
 * dict (HF names, PyTorch layouts, float32 data).
 */
import * as tf from "@tensorflow/tfjs";
import { externalShape, toExternal, toInternal } from "./_layout.ts";
import type { StoredTensor, TensorToWrite } from "./safetensors.ts";

/** The variables as HF-layout float32 arrays (reads every variable back from the backend). */
export function stateDictOf(
  params: Map<string, tf.Variable>,
  dtype: TensorToWrite["dtype"] = "F32",
): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, v] of params) {
    const t = toExternal(name, v);
    out.set(name, { shape: t.shape, data: t.dataSync() as Float32Array, dtype });
    t.dispose();
  }
  return out;
}

/**
 * Assigns HF-layout tensors to the named variables. Every name in `names` must be present in
 * `tensors` with the external shape of its variable; errors name the file and tensor.
 */
export function assignFromStateDict(
  params: Map<string, tf.Variable>,
  tensors: Map<string, StoredTensor>,
  names: Iterable<string>,
  where: string,
): void {
  for (const name of names) {
    const v = params.get(name);
    const t = tensors.get(name);
    if (!v) throw new RangeError(`${where}: model has no parameter "${name}"`);
    if (!t) throw new RangeError(`${where}: tensor "${name}" is missing`);
    const want = externalShape(name, v.shape);
    if (t.shape.join() !== want.join()) {
      throw new RangeError(
        `${where}: tensor "${name}" has shape [${t.shape}], ` +
          `the model expects [${want}] (PyTorch layout)`,
      );
    }
    if (!(t.data instanceof Float32Array)) {
      throw new TypeError(`${where}: tensor "${name}" has dtype ${t.dtype}, expected a float type`);
    }
    const data = t.data;
    tf.tidy(() => v.assign(toInternal(name, tf.tensor(data, t.shape, "float32"))));
  }
}
