/** The parts of tfjs-backend-wasm's BackendWasm that the JS kernels in this folder use. */
import type * as tf from "@tensorflow/tfjs";

export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  refCount: number;
}

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  dataIdMap: { get(dataId: object): WasmTensorData; delete(dataId: object): boolean };
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
    tfjs: { disposeData(id: number): void };
  };
}

export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

const packedShape = new WeakMap<object, string>();

/**
 * Calls `fn` with the tensor id under which tfjs-wasm's BatchMatMul should see `t` as its right
 * operand with shape `shape`. XNNPACK caches the packed right operand per tensor id, not per shape,
 * and a reshape shares its input's id: the same id seen as [10, 16] after [2, 80] would reuse the
 * stale packing and read out of bounds (found with a factorised-embedding BERT, whose
 * position-embedding and projection-bias gradients sum one gradient buffer in both shapes). The
 * first shape an id is used with keeps the real id (and the cache, e.g. weights across
 * evaluation batches); any other shape gets a fresh id viewing the same memory (no copy),
 * released afterwards without freeing it.
 */
export function asRightOperand<T>(
  backend: WasmBackendLike,
  t: tf.TensorInfo,
  shape: readonly number[],
  fn: (id: number) => T,
): T {
  const key = shape.join("x");
  const seen = packedShape.get(t.dataId);
  if (seen === undefined) packedShape.set(t.dataId, key);
  if (seen === undefined || seen === key) return fn(backend.dataIdMap.get(t.dataId).id);
  const view = backend.makeOutput(
    [...t.shape],
    t.dtype,
    backend.dataIdMap.get(t.dataId).memoryOffset,
  );
  const data = backend.dataIdMap.get(view.dataId);
  try {
    return fn(data.id);
  } finally {
    backend.wasm.tfjs.disposeData(data.id);
    backend.dataIdMap.delete(view.dataId);
  }
}
