/**
 * Test helpers: run a function's gradients on cpu with tfjs's stock gradients and on wasm with
 * the fixes installed, from the same pseudo-random inputs, and compare.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Prng } from "../random/mod.ts";
import { installWasmFixes, uninstallWasmFixes } from "./_fixes_install.ts";

export interface Input {
  shape: number[];
  data: Float32Array | Int32Array;
  dtype: "float32" | "int32";
}

export function randn(prng: Prng, shape: number[]): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = prng.normal();
  return { shape, data, dtype: "float32" };
}

export function randint(prng: Prng, shape: number[], max: number): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = prng.int(max);
  return { shape, data, dtype: "int32" };
}

const toTensor = (x: Input) => tf.tensor(x.data, x.shape, x.dtype);

/** Forward output and gradients w.r.t. the inputs listed in `wrt`, as plain arrays. */
export async function run(
  backend: "cpu" | "wasm",
  fixes: boolean,
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: Input[],
  options: { wrt?: number[]; seed?: number } = {},
): Promise<{ out: Float32Array; grads: Float32Array[] }> {
  await tf.setBackend(backend);
  if (fixes) installWasmFixes();
  else uninstallWasmFixes();
  try {
    return tf.tidy(() => {
      const xs = inputs.map(toTensor);
      const wrt = options.wrt ??
        inputs.map((_, i) => i).filter((i) => inputs[i].dtype === "float32");
      const out = f(...xs);
      const dy = toTensor(randn(Prng.fromSeed(options.seed ?? 99), out.shape));
      const g = tf.grads((...ws: tf.Tensor[]) => {
        const all = [...xs];
        wrt.forEach((i, j) => (all[i] = ws[j]));
        return f(...all);
      })(wrt.map((i) => xs[i]), dy);
      return {
        out: out.dataSync() as Float32Array,
        grads: g.map((t) => t.dataSync() as Float32Array),
      };
    });
  } finally {
    uninstallWasmFixes();
  }
}

/** max |got - want| / max |want| (0 when both are all zero). */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < got.length; i++) {
    num = Math.max(num, Math.abs(got[i] - want[i]));
    den = Math.max(den, Math.abs(want[i]));
  }
  return den === 0 ? num : num / den;
}

/** Asserts wasm+fixes matches cpu+stock (or `reference`, a cpu+stock formulation) within tol. */
export async function assertMatchesCpu(
  label: string,
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: Input[],
  options: { reference?: (...xs: tf.Tensor[]) => tf.Tensor; tol?: number; wrt?: number[] } = {},
): Promise<void> {
  const tol = options.tol ?? 1e-4;
  const want = await run("cpu", false, options.reference ?? f, inputs, options);
  const got = await run("wasm", true, f, inputs, options);
  const errs = [relErr(got.out, want.out), ...got.grads.map((g, i) => relErr(g, want.grads[i]))];
  if (!errs.every((e) => e <= tol)) {
    throw new Error(
      `${label}: relative errors [${errs.map((e) => e.toExponential(2))}] exceed ${tol}`,
    );
  }
}
