/**
 * L2A's reinforced selector (issue 18): a small policy that scores each generated example from
 * its features and samples which ones the student trains on; trained by REINFORCE with a
 * moving-average baseline of the reward (the student's improvement on target dev data in L2A).
 * The policy is logistic: p(select | x) = sigmoid(w . x + b); for a batch of independent
 * Bernoulli choices a_i the gradient of log pi is sum_i (a_i - p_i) x_i, so one update is
 *   w += lr x (R - baseline) x sum_i (a_i - p_i) x_i   (and b the same with x = 1),
 * after which baseline <- decay x baseline + (1 - decay) x R (the first reward sets it). Plain
 * JS, seeded by the caller's Prng, serialisable (`state()` / `fromState`) for resume.
 */
import type { Prng } from "../random/mod.ts";

export interface SelectorState {
  weights: number[];
  bias: number;
  /** Moving average of the rewards so far; null before the first update. */
  baseline: number | null;
  learningRate: number;
  baselineDecay: number;
  updates: number;
}

export class ReinforcedSelector {
  #s: SelectorState;

  private constructor(s: SelectorState) {
    this.#s = s;
  }

  /** A selector over `features` inputs, starting at p = sigmoid(bias) for everything. */
  static create(
    features: number,
    options: { learningRate?: number; baselineDecay?: number; bias?: number } = {},
  ): ReinforcedSelector {
    if (!Number.isInteger(features) || features < 1) {
      throw new RangeError(`ReinforcedSelector: features must be >= 1, got ${features}`);
    }
    const decay = options.baselineDecay ?? 0.9;
    if (!(decay >= 0 && decay < 1)) {
      throw new RangeError(`ReinforcedSelector: baselineDecay must be in [0, 1), got ${decay}`);
    }
    return new ReinforcedSelector({
      weights: new Array(features).fill(0),
      bias: options.bias ?? 0,
      baseline: null,
      learningRate: options.learningRate ?? 0.1,
      baselineDecay: decay,
      updates: 0,
    });
  }

  static fromState(s: SelectorState): ReinforcedSelector {
    return new ReinforcedSelector(structuredClone(s));
  }

  state(): SelectorState {
    return structuredClone(this.#s);
  }

  probability(x: readonly number[]): number {
    const w = this.#s.weights;
    if (x.length !== w.length) {
      throw new RangeError(`ReinforcedSelector: ${x.length} features, expected ${w.length}`);
    }
    let z = this.#s.bias;
    for (let i = 0; i < w.length; i++) z += w[i] * x[i];
    return 1 / (1 + Math.exp(-z));
  }

  /** Samples a keep / drop choice for every example. */
  select(batch: readonly (readonly number[])[], prng: Prng): { keep: boolean[]; p: number[] } {
    const p = batch.map((x) => this.probability(x));
    return { keep: p.map((q) => prng.next() < q), p };
  }

  /** One REINFORCE step for the choices `keep` made on `batch`, which earned `reward`. */
  update(
    batch: readonly (readonly number[])[],
    keep: readonly boolean[],
    reward: number,
  ): { advantage: number; baseline: number } {
    if (!Number.isFinite(reward)) throw new RangeError(`ReinforcedSelector: reward ${reward}`);
    const s = this.#s;
    const advantage = s.baseline === null ? 0 : reward - s.baseline;
    if (advantage !== 0) {
      const gw = new Array(s.weights.length).fill(0);
      let gb = 0;
      batch.forEach((x, i) => {
        const g = (keep[i] ? 1 : 0) - this.probability(x);
        for (let j = 0; j < gw.length; j++) gw[j] += g * x[j];
        gb += g;
      });
      for (let j = 0; j < gw.length; j++) s.weights[j] += s.learningRate * advantage * gw[j];
      s.bias += s.learningRate * advantage * gb;
    }
    s.baseline = s.baseline === null
      ? reward
      : s.baselineDecay * s.baseline + (1 - s.baselineDecay) * reward;
    s.updates++;
    return { advantage, baseline: s.baseline };
  }
}
