/**
 * lib/backend: choose and self-check the tfjs backend, install the wasm kernel and gradient
 * fixes, and a small Worker pool.
 *
 * `initBackend()` picks WebGPU only for a non-fallback adapter that passes a numerical
 * self-check against cpu (matmul, softmax, a gradient), else wasm, else cpu; the environment
 * variable ROSEARCH_BACKEND (webgpu|wasm|cpu) forces one. On wasm it installs the fixes of
 * `_fixes.ts` (see each `_fix_*.ts` for what and why, with measurements). Idempotent: every call
 * returns the same report. The report is plain JSON and belongs in every run record.
 *
 * Measured here (experiments/bench, 2 shared cores, tfjs 4.22 wasm, SIMD, 1 thread): the small
 * Transformer's training step (2 layers, H 128, 4 heads, FF 512, batch 32x32, vocab 30522, Adam)
 * takes about 950-1050 ms with stock gradients and 230-260 ms with the fixes (3.7-4.6x), i.e.
 * 0.34-0.43 of the 512^3 matmul GFLOP/s (FLOPs = 3 x forward matmul FLOPs).
 *
 * What the kernel fixes left (the Adam passes over the dense embedding gradient, LayerNorm,
 * GELU, dropout and the per-batch packing of the 32x32 attention matmuls) is now done by the
 * fused WebAssembly SIMD kernels of `_fused.ts` (docs/FUSED_KERNELS.md): the TinyBERT-style KD
 * step went from 167 to 91 ms, 2,480 to 972 kernels (bench section `fused`, 2026-12-04).
 * Upstream bug found: wasm GatherV2 with batchDims > 0 returns wrong rows (fixed for axis ==
 * batchDims by _fix_gather_kernel.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { type BackendName, chooseBackend, parseBackendName, type TriedBackend } from "./_choose.ts";
import { installWasmFixes } from "./_fixes_install.ts";
import { type FusedState, fusedSwitch, installFusedKernels } from "./_fused.ts";

export { installWasmFixes, listFixes, uninstallWasmFixes } from "./_fixes_install.ts";
export { selfCheckBackend, type SelfCheckResult } from "./_self_check.ts";
/**
 * The fused WebAssembly SIMD kernels (issue 20; `_fused.ts`): installed on wasm by `initBackend`
 * unless ROSEARCH_FUSED=0; `fusedKernelsActive()` tells lib/models and lib/distill to use them.
 */
export {
  type AdamWAttrs,
  batchMatMulSupported,
  FUSED_KERNEL_NAMES,
  fusedKernelsActive,
  fusedKernelsFix,
  type FusedState,
  fusedState,
  installFusedKernels,
  uninstallFusedKernels,
  withFusedKernels,
} from "./_fused.ts";
export { type BackendName, type TriedBackend } from "./_choose.ts";
/** One replaceable gradient or kernel, installed and uninstalled as a unit (`_fix.ts`). */
export type { Fix } from "./_fix.ts";
/**
 * Every wasm fix in installation order (what `installWasmFixes` installs), for benchmarks and
 * profilers that toggle fixes one by one (experiments/bench/profile_step.ts).
 */
export { ALL_FIXES } from "./_fixes.ts";
/**
 * The gather (embedding lookup) fixes, each a `Fix` the benchmarks install alone
 * (experiments/bench/sections/gather_grad.ts, train_step.ts): `gatherKernelFix` the wasm
 * GatherV2 kernel; `segmentSumKernelFix` the UnsortedSegmentSum kernel the stock gradient needs;
 * `gatherGradFix` the installed gradient; `gatherGradScatterFix` / `gatherGradOneHotFix` the
 * measured alternatives (scatterND, one-hot matmul). See `_fix_gather_grad.ts` for figures.
 */
export {
  gatherGradFix,
  gatherGradOneHotFix,
  gatherGradScatterFix,
  segmentSumKernelFix,
} from "./_fix_gather_grad.ts";
export { gatherKernelFix } from "./_fix_gather_kernel.ts";
export {
  createWorkerPool,
  type PoolActivity,
  type TaskMap,
  type TaskProgress,
  type WorkerPool,
  type WorkerPoolOptions,
} from "./worker_pool.ts";
export { describeActivity } from "./pool_activity.ts";
export { serveWorker, type TaskHandlers, taskProgress } from "./worker_serve.ts";

export interface BackendReport {
  backend: BackendName;
  reason: string;
  tried: TriedBackend[];
  /** wasm only: SIMD in use. */
  simd?: boolean;
  /** wasm only: threads in use (1 = single-threaded). */
  threads?: number;
  /** Names of the installed kernel/gradient fixes (the fused kernels' fix among them when on). */
  fixes: string[];
  /** The fused kernels (wasm only): on, or off and why (ROSEARCH_FUSED=0, another backend). */
  fused: FusedState;
  tfjsVersion: string;
  denoVersion: string;
}

export interface InitBackendOptions {
  /** Backend to try first (default: webgpu, wasm, cpu in that order). */
  prefer?: BackendName;
}

let pending: Promise<BackendReport> | null = null;
let report: BackendReport | null = null;

/** The ROSEARCH_BACKEND value if set and readable without a prompt, else undefined. */
function envBackend(): BackendName | undefined {
  try {
    const state = Deno.permissions.querySync({ name: "env", variable: "ROSEARCH_BACKEND" }).state;
    if (state !== "granted") return undefined;
    const v = Deno.env.get("ROSEARCH_BACKEND");
    return v == null || v === "" ? undefined : parseBackendName(v, "ROSEARCH_BACKEND");
  } catch (e) {
    if (e instanceof RangeError) throw e;
    return undefined;
  }
}

async function wasmFlags(): Promise<{ simd?: boolean; threads?: number }> {
  try {
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") as boolean;
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    return { simd, threads: wasm.getThreadsCount() };
  } catch {
    return {};
  }
}

/**
 * tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in Node.js ... install our
 * node backend" on its first tensor write whenever IS_NODE holds, which it does under Deno, where
 * tfjs-node cannot be used: a banner in every process and Worker, dozens of times in the test
 * output. Marking the CPU backend as already used silences exactly that message; every other tfjs
 * warning still prints.
 */
function silenceNodeBanner(): void {
  try {
    const cpu = tf.findBackend("cpu") as { firstUse?: boolean } | null;
    if (cpu && "firstUse" in cpu) cpu.firstUse = false;
  } catch {
    // no CPU backend registered: nothing to silence
  }
}

/** Chooses, activates and (on wasm) fixes the tfjs backend. Same report on every call. */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  silenceNodeBanner();
  pending ??= (async () => {
    const chosen = await chooseBackend({ forced: envBackend(), prefer: options.prefer });
    const fixes = chosen.backend === "wasm" ? installWasmFixes() : [];
    const fused: FusedState = fusedSwitch() === "0"
      ? { active: false, reason: "ROSEARCH_FUSED=0" }
      : installFusedKernels();
    if (fused.active) fixes.push("fused-kernels:wasm-simd");
    const flags = chosen.backend === "wasm" ? await wasmFlags() : {};
    report = {
      backend: chosen.backend,
      reason: chosen.reason,
      tried: chosen.tried,
      ...flags,
      fixes,
      fused,
      tfjsVersion: tf.version.tfjs,
      denoVersion: Deno.version.deno,
    };
    return report;
  })();
  pending.catch(() => (pending = null)); // a failed init can be retried
  return pending;
}

/** The report of the finished `initBackend`, or null before it. */
export function getBackendReport(): BackendReport | null {
  return report;
}
