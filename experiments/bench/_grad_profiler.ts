/**
 * Wall-clock time spent in each registered gradient function (summed per kernel name).
 * Works on synchronous backends (wasm, cpu): a gradient closure's ops finish before it returns.
 * `wrapGradients()` swaps every gradient config for a timed copy; `restore()` puts the
 * originals back. Used by profile_step.ts to find the gradients worth replacing.
 */
import * as tf from "@tensorflow/tfjs";

export interface GradProfile {
  /** ms per kernel name, summed over all calls since wrapGradients. */
  ms: Map<string, number>;
  calls: Map<string, number>;
  reset(): void;
  restore(): void;
}

export function wrapGradients(backendName: string): GradProfile {
  const ms = new Map<string, number>();
  const calls = new Map<string, number>();
  const originals: tf.GradConfig[] = [];
  const names = new Set(tf.getKernelsForBackend(backendName).map((k) => k.kernelName));
  for (const name of names) {
    const cfg = tf.getGradient(name);
    if (cfg == null) continue;
    originals.push(cfg);
    const timed: tf.GradConfig = {
      ...cfg,
      gradFunc: (dy, saved, attrs) => {
        const add = (t: number) => ms.set(name, (ms.get(name) ?? 0) + t);
        const t0 = performance.now();
        const res = cfg.gradFunc(dy, saved, attrs);
        add(performance.now() - t0);
        const out: Record<string, () => tf.Tensor> = {};
        for (const [k, f] of Object.entries(res)) {
          out[k] = () => {
            const t1 = performance.now();
            const r = f();
            add(performance.now() - t1);
            return r;
          };
        }
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return out;
      },
    };
    tf.unregisterGradient(name);
    tf.registerGradient(timed);
  }
  return {
    ms,
    calls,
    reset() {
      ms.clear();
      calls.clear();
    },
    restore() {
      for (const cfg of originals) {
        tf.unregisterGradient(cfg.kernelName);
        tf.registerGradient(cfg);
      }
    },
  };
}
