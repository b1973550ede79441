/**
 * Named parameters: the spec list of a model (name, internal shape, initialiser) and the
 * seeded creation of `tf.Variable`s from it (HF `_init_weights`: normal(0, initializer_range)
 * for linear and embedding weights, zero biases, LayerNorm weight 1 / bias 0; the padding row
 * of the word embeddings zeroed).
 */
import * as tf from "@tensorflow/tfjs";
import { Prng } from "../random/mod.ts";

let variableCounter = 0;

export type Init = "normal" | "zeros" | "ones" | { uniform: number } | { normal: number };

export interface ParamSpec {
  name: string;
  /** Internal shape (linear weights [in, out]). */
  shape: number[];
  init: Init;
  /** Row of an embedding table to zero after init (padding index). */
  zeroRow?: number;
}

/** Creates variables in spec order; the same seed and specs give the same values. */
export function createParams(
  specs: ParamSpec[],
  options: { seed: number; std: number },
): Map<string, tf.Variable> {
  const prng = Prng.fromSeed(options.seed);
  const params = new Map<string, tf.Variable>();
  for (const spec of specs) {
    const seed = prng.seed(); // drawn for every spec so that adding a head keeps other values
    const value = tf.tidy(() => {
      let t: tf.Tensor;
      if (spec.init === "normal") t = tf.randomNormal(spec.shape, 0, options.std, "float32", seed);
      else if (spec.init === "zeros") t = tf.zeros(spec.shape);
      else if (spec.init === "ones") t = tf.ones(spec.shape);
      else if ("normal" in spec.init) {
        t = tf.randomNormal(spec.shape, 0, spec.init.normal, "float32", seed);
      } else {t = tf.randomUniform(
          spec.shape,
          -spec.init.uniform,
          spec.init.uniform,
          "float32",
          seed,
        );}
      if (spec.zeroRow !== undefined) {
        const rowMask = tf.oneHot([spec.zeroRow], spec.shape[0]).reshape([spec.shape[0], 1]);
        t = tf.mul(t, tf.sub(1, rowMask));
      }
      return t;
    });
    params.set(spec.name, tf.variable(value, true, `${spec.name}#${variableCounter++}`));
    value.dispose();
  }
  return params;
}

/** A getter that fails with the missing name and the names present. */
export function paramGetter(
  params: Map<string, tf.Variable>,
  what: string,
): (name: string) => tf.Variable {
  return (name: string) => {
    const v = params.get(name);
    if (v === undefined) {
      const some = [...params.keys()].slice(0, 8).join(", ");
      throw new RangeError(
        `${what}: parameter "${name}" is missing (have ${params.size}: ${some}, ...)`,
      );
    }
    return v;
  };
}

export function countElements(
  params: Map<string, tf.Variable>,
  skip?: (name: string) => boolean,
): number {
  let n = 0;
  for (const [name, v] of params) if (!skip?.(name)) n += v.size;
  return n;
}

export function disposeParams(params: Map<string, tf.Variable>): void {
  for (const v of params.values()) v.dispose();
  params.clear();
}
