/**
 * Backend choice: WebGPU only for a real (non-fallback) adapter that passes the numerical
 * self-check, else wasm, else cpu. A forced name (ROSEARCH_BACKEND) is tried alone and fails
 * loudly; `prefer` is tried first, then the default order.
 */
import * as tf from "@tensorflow/tfjs";
import { selfCheckBackend } from "./_self_check.ts";

export type BackendName = "webgpu" | "wasm" | "cpu";
export const BACKEND_NAMES: readonly BackendName[] = ["webgpu", "wasm", "cpu"];

export interface TriedBackend {
  name: BackendName;
  ok: boolean;
  detail: string;
}

export interface Chosen {
  backend: BackendName;
  reason: string;
  tried: TriedBackend[];
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: Record<string, unknown>; isFallbackAdapter?: boolean } | null>;
}

/** Probes that can be replaced in tests. */
export interface Probes {
  webgpu(): Promise<{ ok: boolean; detail: string }>;
  wasm(): Promise<{ ok: boolean; detail: string }>;
  cpu(): Promise<{ ok: boolean; detail: string }>;
}

export const defaultProbes: Probes = {
  async webgpu() {
    const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
    if (gpu == null) return { ok: false, detail: "webgpu skipped: navigator.gpu is absent" };
    let adapter;
    try {
      adapter = await gpu.requestAdapter();
    } catch (e) {
      return { ok: false, detail: `webgpu skipped: requestAdapter threw ${(e as Error).message}` };
    }
    if (adapter == null) return { ok: false, detail: "webgpu skipped: no adapter" };
    const info = adapter.info ?? {};
    const desc = String(info.description || info.device || info.vendor || "unknown adapter");
    if (info.isFallbackAdapter === true || adapter.isFallbackAdapter === true) {
      const name = /llvmpipe/i.test(desc) ? "llvmpipe" : desc;
      return { ok: false, detail: `webgpu skipped: fallback adapter (${name}; ${desc})` };
    }
    try {
      await import("@tensorflow/tfjs-backend-webgpu"); // lazy: wasm users never load it
      if (!(await tf.setBackend("webgpu"))) {
        return { ok: false, detail: `webgpu failed to initialise on ${desc}` };
      }
    } catch (e) {
      return { ok: false, detail: `webgpu failed to load on ${desc}: ${(e as Error).message}` };
    }
    const check = await selfCheckBackend("webgpu");
    return { ok: check.ok, detail: `webgpu on ${desc}: ${check.detail}` };
  },
  async wasm() {
    try {
      await import("@tensorflow/tfjs-backend-wasm");
      if (!(await tf.setBackend("wasm"))) return { ok: false, detail: "wasm failed to initialise" };
      return { ok: true, detail: "wasm initialised" };
    } catch (e) {
      return { ok: false, detail: `wasm failed: ${(e as Error).message}` };
    }
  },
  async cpu() {
    return (await tf.setBackend("cpu"))
      ? { ok: true, detail: "cpu initialised" }
      : { ok: false, detail: "cpu failed to initialise" };
  },
};

export function parseBackendName(value: string, where: string): BackendName {
  const v = value.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new RangeError(
    `${where}: unknown backend '${value}', allowed: ${BACKEND_NAMES.join(", ")}`,
  );
}

/** Tries backends in order and activates the first that works. */
export async function chooseBackend(
  options: { forced?: BackendName; prefer?: BackendName; probes?: Probes } = {},
): Promise<Chosen> {
  const probes = options.probes ?? defaultProbes;
  const tried: TriedBackend[] = [];
  const attempt = async (name: BackendName) => {
    const r = await probes[name]();
    tried.push({ name, ok: r.ok, detail: r.detail });
    // A probe leaves its backend active only if it succeeded.
    return r.ok;
  };
  if (options.forced != null) {
    if (await attempt(options.forced)) {
      return {
        backend: options.forced,
        reason: `forced by ROSEARCH_BACKEND=${options.forced}`,
        tried,
      };
    }
    throw new Error(
      `initBackend: ROSEARCH_BACKEND=${options.forced} was requested but failed: ${
        tried[0].detail
      }`,
    );
  }
  const order: BackendName[] = options.prefer != null
    ? [options.prefer, ...BACKEND_NAMES.filter((n) => n !== options.prefer)]
    : [...BACKEND_NAMES];
  for (const name of order) {
    if (await attempt(name)) {
      const skipped = tried.filter((t) => !t.ok).map((t) => t.detail);
      const why = name === options.prefer ? "preferred" : "first backend that works";
      return { backend: name, reason: [`${name}: ${why}`, ...skipped].join("; "), tried };
    }
  }
  throw new Error(`initBackend: no backend works: ${tried.map((t) => t.detail).join("; ")}`);
}
