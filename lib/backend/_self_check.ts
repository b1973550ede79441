/**
 * Numerical self-check of a tfjs backend against the pure-JS `cpu` backend: a matmul, a softmax
 * and a gradient (of a small softmax-regression loss w.r.t. its weights) on fixed pseudo-random
 * inputs must agree within a relative tolerance. Guards against silently wrong GPU drivers
 * (tensorflow/tfjs#6842). Leaves the active backend as it found it.
 */
import * as tf from "@tensorflow/tfjs";
import { Prng } from "../random/mod.ts";

export interface SelfCheckResult {
  ok: boolean;
  /** Largest relative error per probe, or the error message. */
  detail: string;
}

function values(prng: Prng, n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = prng.normal();
  return v;
}

/** Runs the three probes on the active backend; returns flat arrays. */
function probes(): Record<string, Float32Array> {
  const prng = Prng.fromSeed(20261101);
  const a = values(prng, 64 * 48), b = values(prng, 48 * 32), s = values(prng, 8 * 50);
  const x = values(prng, 16 * 24), w = values(prng, 24 * 10);
  return tf.tidy(() => {
    const mm = tf.matMul(tf.tensor2d(a, [64, 48]), tf.tensor2d(b, [48, 32]));
    const sm = tf.softmax(tf.tensor2d(s, [8, 50]));
    const xt = tf.tensor2d(x, [16, 24]);
    const grad = tf.grad((wt: tf.Tensor) => {
      const p = tf.softmax(tf.matMul(xt, wt as tf.Tensor2D));
      return tf.sum(tf.mul(p, tf.range(0, 10).reshape([1, 10])));
    })(tf.tensor2d(w, [24, 10]));
    return {
      matmul: mm.dataSync() as Float32Array,
      softmax: sm.dataSync() as Float32Array,
      gradient: grad.dataSync() as Float32Array,
    };
  });
}

function relError(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < got.length; i++) {
    if (!Number.isFinite(got[i])) return Infinity;
    num = Math.max(num, Math.abs(got[i] - want[i]));
    den = Math.max(den, Math.abs(want[i]));
  }
  return num / Math.max(den, 1e-12);
}

/**
 * Compares backend `name` (already registered with tfjs) with `cpu`.
 * @param options.tolerance max relative error (largest abs difference / largest abs value),
 *   default 1e-3
 */
export async function selfCheckBackend(
  name: string,
  options: { tolerance?: number } = {},
): Promise<SelfCheckResult> {
  const tolerance = options.tolerance ?? 1e-3;
  const previous = tf.getBackend();
  try {
    if (!(await tf.setBackend("cpu"))) return { ok: false, detail: "cpu backend unavailable" };
    const want = probes();
    if (!(await tf.setBackend(name))) {
      return { ok: false, detail: `backend '${name}' failed to initialise` };
    }
    const got = probes();
    const errs = Object.keys(want).map((k) => [k, relError(got[k], want[k])] as const);
    const bad = errs.filter(([, e]) => !(e <= tolerance));
    const detail = errs.map(([k, e]) => `${k} ${e.toExponential(1)}`).join(", ");
    return bad.length === 0
      ? { ok: true, detail: `self-check passed (rel. error ${detail}; tolerance ${tolerance})` }
      : { ok: false, detail: `self-check failed (rel. error ${detail}; tolerance ${tolerance})` };
  } catch (e) {
    return { ok: false, detail: `self-check threw: ${(e as Error).message}` };
  } finally {
    if (previous != null && tf.getBackend() !== previous) await tf.setBackend(previous);
  }
}
