/**
 * Fused WebAssembly SIMD kernels for the training step (issue 20): AdamW over every parameter in
 * one kernel, the global gradient norm in one, LayerNorm and exact GELU with one kernel each way,
 * the attention products (batched matmul) and seeded dropout (the JS sfc32 stream, continued).
 * They are installed by `initBackend` on wasm unless ROSEARCH_FUSED=0, and used by lib/models
 * (`layerNorm`, `geluErf`, `bmm`, `dropout`) and lib/distill (`AdamW`) only while
 * `fusedKernelsActive()`; every other backend, and wasm with the switch off, keeps the tfjs
 * composition they replace (which the tests compare them with: `_fused_test.ts`,
 * lib/models/_ops_test.ts and bert_fused_test.ts, lib/distill/adamw_test.ts). Design, numerics
 * and measurements: docs/FUSED_KERNELS.md.
 */
import * as tf from "@tensorflow/tfjs";
import { type Fix, kernelFix } from "./_fix.ts";
import { fusedKernelConfigs } from "./_fused_kernels.ts";
import { fusedExports } from "./_fused_module.ts";

export { type AdamWAttrs, batchMatMulSupported, FUSED_KERNEL_NAMES } from "./_fused_kernels.ts";

export const fusedKernelsFix: Fix = kernelFix(
  "fused-kernels:wasm-simd",
  "AdamW, gradient norm, LayerNorm and GELU (forward and backward), attention matmuls and " +
    "dropout as WebAssembly SIMD kernels on the wasm heap",
  fusedKernelConfigs,
);

export interface FusedState {
  active: boolean;
  /** Why they are on or off ("ROSEARCH_FUSED=0", "backend cpu", a failed check). */
  reason: string;
}

let lastState: FusedState = { active: false, reason: "not installed" };

/** ROSEARCH_FUSED if set and readable without a prompt ("0" turns the kernels off). */
export function fusedSwitch(): string | undefined {
  try {
    const q = Deno.permissions.querySync({ name: "env", variable: "ROSEARCH_FUSED" });
    return q.state === "granted" ? Deno.env.get("ROSEARCH_FUSED") : undefined;
  } catch {
    return undefined;
  }
}

/** Installs the fused kernels on the active backend if it is wasm and the module loads there. */
export function installFusedKernels(): FusedState {
  const backend = tf.getBackend();
  if (backend !== "wasm") {
    lastState = { active: false, reason: `backend ${backend} (the kernels are wasm only)` };
    return lastState;
  }
  try {
    fusedExports(tf.backend());
  } catch (e) {
    lastState = { active: false, reason: (e as Error).message };
    return lastState;
  }
  fusedKernelsFix.install();
  lastState = { active: true, reason: "wasm SIMD module on the backend's heap" };
  return lastState;
}

export function uninstallFusedKernels(reason = "uninstalled"): void {
  fusedKernelsFix.uninstall();
  lastState = { active: false, reason };
}

/** True while the fused kernels are installed and the active backend is wasm. */
export function fusedKernelsActive(): boolean {
  return fusedKernelsFix.installed && tf.getBackend() === "wasm";
}

export function fusedState(): FusedState {
  return { ...lastState, active: fusedKernelsActive() };
}

/**
 * Runs `f` with the fused kernels off (or on), then restores the previous state: for tests and
 * benchmarks that compare both paths in one process.
 */
export function withFusedKernels<T>(on: boolean, f: () => T): T {
  const was = fusedKernelsFix.installed;
  if (on && !was) installFusedKernels();
  if (!on && was) fusedKernelsFix.uninstall();
  const restore = () => {
    if (was && !fusedKernelsFix.installed) installFusedKernels();
    if (!was && fusedKernelsFix.installed) fusedKernelsFix.uninstall();
  };
  let result: T;
  try {
    result = f();
  } catch (e) {
    restore();
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(restore) as T;
  }
  restore();
  return result;
}
