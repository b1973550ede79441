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
