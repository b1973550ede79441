/**
 * The fused kernels' WebAssembly module (`_fused.wat`, shipped as base64 in `_fused_wasm.ts`),
 * instantiated on tfjs-backend-wasm's own memory: `backend.wasm.asm.memory`, the Memory that the
 * SIMD build defines and exports (tfjs 4.22, non-threaded: the only build tfjs picks under Deno,
 * where IS_NODE disables threads). The module imports that memory and owns none, so its functions
 * read and write tensors in place by byte offset (`dataIdMap.get(id).memoryOffset`); heap growth
 * is seen through the Memory object with no re-instantiation. One instance per backend (each
 * Worker has its own backend and heap). docs/FUSED_KERNELS.md has the verification.
 */
import { decodeBase64 } from "./_base64.ts";
import { FUSED_WASM_BASE64 } from "./_fused_wasm.ts";

/** The exported functions; pointers are byte offsets, counts are f32 elements. */
export interface FusedExports {
  sum_squares(p: number, n: number): number;
  adamw(
    theta: number,
    g: number,
    m: number,
    v: number,
    out: number,
    n: number,
    scale: number,
    keep: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    biasCorrection1: number,
    biasCorrection2: number,
    epsilon: number,
    negLearningRate: number,
  ): void;
  layer_norm(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    stats: number,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  layer_norm_grad(
    dy: number,
    x: number,
    gamma: number,
    stats: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rows: number,
    cols: number,
  ): void;
  bmm(a: number, b: number, c: number, batch: number, m: number, k: number, n: number): void;
  dropout(
    x: number,
    y: number,
    mask: number,
    n: number,
    a: number,
    b: number,
    c: number,
    d: number,
    threshold: number,
    scale: number,
  ): [number, number, number, number];
  dwconv(
    x: number,
    w: number,
    y: number,
    batch: number,
    seq: number,
    ch: number,
    taps: number,
    dilation: number,
    flip: number,
  ): void;
  dwconv_filter_grad(
    x: number,
    dy: number,
    dw: number,
    batch: number,
    seq: number,
    ch: number,
    taps: number,
    dilation: number,
  ): void;
  masked_softmax(
    x: number,
    mask: number,
    y: number,
    rows: number,
    cols: number,
    rowsPerMask: number,
  ): void;
  softmax_grad(dy: number, y: number, dx: number, rows: number, cols: number): void;
  gelu(x: number, y: number, n: number): void;
  gelu_grad(x: number, dy: number, dx: number, n: number): void;
}

const EXPORTS = [
  "sum_squares",
  "adamw",
  "layer_norm",
  "layer_norm_grad",
  "bmm",
  "dropout",
  "dwconv",
  "dwconv_filter_grad",
  "masked_softmax",
  "softmax_grad",
  "gelu",
  "gelu_grad",
];

let compiled: WebAssembly.Module | null = null;
const instances = new WeakMap<object, FusedExports>();

/** The backend's WebAssembly.Memory, or a reason why it cannot be used. */
export function backendMemory(backend: unknown): WebAssembly.Memory | string {
  const asm = (backend as { wasm?: { asm?: { memory?: unknown } } })?.wasm?.asm;
  const memory = asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    return "the wasm backend exposes no WebAssembly.Memory at wasm.asm.memory";
  }
  if (memory.buffer instanceof SharedArrayBuffer) {
    return "the wasm backend's memory is shared (threaded build); the module declares it unshared";
  }
  return memory;
}

/** The module's functions on `backend`'s heap (instantiated on first use, then cached). */
export function fusedExports(backend: object): FusedExports {
  const cached = instances.get(backend);
  if (cached) return cached;
  const memory = backendMemory(backend);
  if (typeof memory === "string") throw new Error(`fused kernels: ${memory}`);
  if (compiled === null) {
    const bytes = decodeBase64(FUSED_WASM_BASE64);
    if (!WebAssembly.validate(bytes as BufferSource)) {
      throw new Error("fused kernels: this runtime does not validate the SIMD module");
    }
    compiled = new WebAssembly.Module(bytes as BufferSource);
  }
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  const exports = instance.exports as unknown as FusedExports;
  for (const name of EXPORTS) {
    if (typeof (exports as unknown as Record<string, unknown>)[name] !== "function") {
      throw new Error(`fused kernels: the module has no function ${name}`);
    }
  }
  instances.set(backend, exports);
  return exports;
}
