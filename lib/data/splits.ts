/**
 * Deterministic, seeded, label-stratified splits and subsets (all randomness from `Prng`).
 *
 * - `heldOutSplit` carves a validation set out of a training set, so that search-time
 *   validation never touches the official dev set.
 * - `sampleSubset` draws n examples (e.g. a small attack set or a quick-training subset).
 *
 * Stratification: each label's share of the chosen set follows its share of the input, with
 * the count per label from the largest-remainder rule (ties go to the smaller label), so the
 * total is exactly the size asked for. Within a label the chosen examples are the first ones of
 * a Prng shuffle of that label's indices (labels shuffled in ascending order from one stream).
 * Outputs keep the input order, so the same seed gives the same arrays on every machine.
 */
import { Prng } from "../random/mod.ts";

/** Anything with an integer label. */
export interface Labelled {
  label: number;
}

export interface HeldOutOptions {
  /** Fraction of the examples to hold out, in (0, 1). Default 0.1. Ignored when `size` is set. */
  fraction?: number;
  /** Exact number of examples to hold out (overrides `fraction`). */
  size?: number;
  /** Seed of the Prng that picks the held-out examples. */
  seed: number;
  /** Keep label proportions (default true); false draws uniformly. */
  stratify?: boolean;
}

export interface HeldOut<T> {
  train: T[];
  validation: T[];
}

export interface SubsetOptions {
  seed: number;
  /** Keep label proportions (default true). */
  stratify?: boolean;
}

/** Splits `examples` into `train` and a held-out `validation`, both in input order. */
export function heldOutSplit<T extends Labelled>(
  examples: readonly T[],
  options: HeldOutOptions,
): HeldOut<T> {
  const n = examples.length;
  let size: number;
  if (options.size !== undefined) {
    if (!Number.isInteger(options.size) || options.size < 0 || options.size > n) {
      throw new RangeError(
        `heldOutSplit size must be an integer in [0, ${n}], got ${options.size}`,
      );
    }
    size = options.size;
  } else {
    const fraction = options.fraction ?? 0.1;
    if (!(fraction > 0 && fraction < 1)) {
      throw new RangeError(`heldOutSplit fraction must be in (0, 1), got ${fraction}`);
    }
    size = Math.round(fraction * n);
  }
  const chosen = chooseIndices(examples, size, options.seed, options.stratify ?? true);
  const train: T[] = [];
  const validation: T[] = [];
  examples.forEach((e, i) => (chosen[i] ? validation : train).push(e));
  return { train, validation };
}

/** `n` examples drawn without replacement, in input order. */
export function sampleSubset<T extends Labelled>(
  examples: readonly T[],
  n: number,
  options: SubsetOptions,
): T[] {
  if (!Number.isInteger(n) || n < 0 || n > examples.length) {
    throw new RangeError(`sampleSubset n must be an integer in [0, ${examples.length}], got ${n}`);
  }
  const chosen = chooseIndices(examples, n, options.seed, options.stratify ?? true);
  return examples.filter((_, i) => chosen[i] === 1);
}

/** How many of `size` go to each label under the largest-remainder rule. */
export function stratifiedCounts(
  labelCounts: ReadonlyMap<number, number>,
  size: number,
): Map<number, number> {
  const total = [...labelCounts.values()].reduce((a, b) => a + b, 0);
  const labels = [...labelCounts.keys()].sort((a, b) => a - b);
  const out = new Map<number, number>();
  if (total === 0) return out;
  const rema: { label: number; rem: number }[] = [];
  let assigned = 0;
  for (const label of labels) {
    const exact = (size * labelCounts.get(label)!) / total;
    const base = Math.floor(exact);
    out.set(label, base);
    assigned += base;
    rema.push({ label, rem: exact - base });
  }
  rema.sort((a, b) => b.rem - a.rem || a.label - b.label);
  for (let k = 0; k < size - assigned; k++) out.set(rema[k].label, out.get(rema[k].label)! + 1);
  return out;
}

function chooseIndices(
  examples: readonly Labelled[],
  size: number,
  seed: number,
  stratify: boolean,
): Uint8Array {
  const prng = Prng.fromSeed(seed);
  const chosen = new Uint8Array(examples.length);
  if (!stratify) {
    const idx = prng.shuffle(examples.map((_, i) => i));
    for (let k = 0; k < size; k++) chosen[idx[k]] = 1;
    return chosen;
  }
  const groups = new Map<number, number[]>();
  examples.forEach((e, i) => {
    if (!Number.isInteger(e.label)) {
      throw new TypeError(`Example ${i} has a non-integer label ${e.label}`);
    }
    const g = groups.get(e.label);
    if (g) g.push(i);
    else groups.set(e.label, [i]);
  });
  const counts = stratifiedCounts(new Map([...groups].map(([l, g]) => [l, g.length])), size);
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const idx = prng.shuffle(groups.get(label)!);
    const take = counts.get(label)!;
    for (let k = 0; k < take; k++) chosen[idx[k]] = 1;
  }
  return chosen;
}
