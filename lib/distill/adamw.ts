/**
 * AdamW (Loshchilov & Hutter 2019) for the distillation loop: global-norm clipping, decoupled
 * weight decay θ ← θ·(1 − lr·wd) skipped for `noDecay` parameters, then tfjs's Adam update
 * (bias-corrected, epsilon added to sqrt(v̂)), with the learning rate given per step.
 *
 * Two implementations of the same arithmetic, chosen once per optimizer:
 * - fused (wasm with lib/backend's fused kernels on): one kernel for the squared norm of every
 *   gradient and one for clip + decay + Adam over every parameter (2 kernels per step instead of
 *   about 17 per parameter). The moments are this class's own buffers, updated in place; new
 *   parameter values are new buffers that the variables are assigned.
 * - composite (every other backend, or ROSEARCH_FUSED=0): `tf.train.adam` plus decay by hand.
 * The update is element-wise and in tfjs's order, so given the same clipping scale both give
 * the same bits (adamw_test.ts); the norm is a sum, whose order differs (equal to rounding).
 */
import * as tf from "@tensorflow/tfjs";
import { type AdamWAttrs, FUSED_KERNEL_NAMES, fusedKernelsActive } from "../backend/mod.ts";

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Force one implementation (tests, benchmarks); default fused when available. */
  fused?: boolean;
}

export interface AdamWStep {
  learningRate: number;
  weightDecay: number;
  noDecay: (name: string) => boolean;
  /** Global-norm clipping threshold; 0 or less for none. */
  clipNorm: number;
}

export class AdamW {
  readonly fused: boolean;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  #adam: tf.AdamOptimizer | null = null;
  #moments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();
  /** beta^t as tfjs keeps it: an f32 product updated after every step. */
  #acc1: number;
  #acc2: number;

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-6;
    this.fused = options.fused ?? fusedKernelsActive();
    if (this.fused && !fusedKernelsActive()) {
      throw new Error("AdamW: fused was requested but the fused kernels are not active");
    }
    this.#acc1 = Math.fround(this.beta1);
    this.#acc2 = Math.fround(this.beta2);
    if (!this.fused) this.#adam = tf.train.adam(1, this.beta1, this.beta2, this.epsilon);
  }

  /**
   * One update of `vars` (name → variable) from `grads` (keyed by variable name; a variable
   * without a gradient is only decayed). Returns the gradient's global norm before clipping.
   */
  step(vars: [string, tf.Variable][], grads: tf.NamedTensorMap, o: AdamWStep): number {
    return this.fused ? this.#fusedStep(vars, grads, o) : this.#compositeStep(vars, grads, o);
  }

  #compositeStep(vars: [string, tf.Variable][], grads: tf.NamedTensorMap, o: AdamWStep): number {
    return tf.tidy(() => {
      const present = vars.filter(([, v]) => grads[v.name]);
      const norm = tf.sqrt(tf.addN(present.map(([, v]) => tf.sum(tf.square(grads[v.name])))));
      const scale = o.clipNorm > 0
        ? tf.div(o.clipNorm, tf.maximum(norm, o.clipNorm))
        : tf.scalar(1);
      if (o.weightDecay > 0) {
        const keep = 1 - o.learningRate * o.weightDecay;
        for (const [name, v] of vars) if (!o.noDecay(name)) v.assign(tf.mul(v, keep));
      }
      // `learningRate` is declared protected in the .d.ts but is a plain field read by every
      // applyGradients call in tfjs-core 4.22 (optimizers/adam_optimizer.js).
      (this.#adam as unknown as { learningRate: number }).learningRate = o.learningRate;
      this.#adam!.applyGradients(
        present.map(([, v]) => ({ name: v.name, tensor: tf.mul(grads[v.name], scale) })),
      );
      return norm.dataSync()[0];
    });
  }

  #fusedStep(vars: [string, tf.Variable][], grads: tf.NamedTensorMap, o: AdamWStep): number {
    const present = vars.filter(([, v]) => grads[v.name]);
    const f32 = Math.fround;
    const sq = tf.engine().runKernel(
      FUSED_KERNEL_NAMES.sumSquares,
      Object.fromEntries(present.map(([, v], i) => [`x${i}`, grads[v.name]])),
      {},
    ) as tf.Tensor;
    const norm = f32(Math.sqrt(sq.dataSync()[0]));
    sq.dispose();
    // tfjs's f32 arithmetic for the scale: clip / max(norm, clip)
    const scale = o.clipNorm > 0 ? f32(f32(o.clipNorm) / Math.max(norm, f32(o.clipNorm))) : 1;
    const keepAll = o.weightDecay > 0 ? f32(1 - o.learningRate * o.weightDecay) : 1;
    const keepOf = (name: string) => (o.noDecay(name) ? 1 : keepAll);
    if (keepAll !== 1) {
      for (const [name, v] of vars) {
        if (!grads[v.name] && !o.noDecay(name)) tf.tidy(() => v.assign(tf.mul(v, keepAll)));
      }
    }
    if (present.length === 0) return norm;
    const inputs: tf.NamedTensorMap = {};
    present.forEach(([, v], i) => {
      let s = this.#moments.get(v.name);
      if (!s) this.#moments.set(v.name, s = { m: tf.zerosLike(v), v: tf.zerosLike(v) });
      inputs[`theta${i}`] = v;
      inputs[`g${i}`] = grads[v.name];
      inputs[`m${i}`] = s.m;
      inputs[`v${i}`] = s.v;
    });
    const attrs: AdamWAttrs = {
      scale,
      learningRate: o.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      biasCorrection1: f32(1 - this.#acc1),
      biasCorrection2: f32(1 - this.#acc2),
      keep: present.map(([name]) => keepOf(name)),
    };
    const outs = tf.engine().runKernel(
      FUSED_KERNEL_NAMES.adamW,
      inputs,
      attrs as unknown as tf.NamedAttrMap,
    ) as unknown as tf.Tensor[];
    present.forEach(([, v], i) => {
      v.assign(outs[i]);
      outs[i].dispose();
    });
    this.#acc1 = f32(this.#acc1 * f32(this.beta1));
    this.#acc2 = f32(this.#acc2 * f32(this.beta2));
    return norm;
  }

  dispose(): void {
    this.#adam?.dispose();
    for (const { m, v } of this.#moments.values()) tf.dispose([m, v]);
    this.#moments.clear();
  }
}
