/**
 * KD with random-token augmentation: the baseline MATE-KD is compared with (Rashid et al. 2021,
 * Table 3's augmentation rows) in its simplest form, EDA's random replacement (Wei & Zou 2019,
 * "EDA: Easy Data Augmentation Techniques", EMNLP): the same share of non-special tokens as
 * MATE-KD's generator rewrites (30%) is replaced by uniformly drawn non-special vocabulary
 * tokens, and the loop adds `weight` · D(T(x'), S(x')), as for MATE-KD. Equal budget with
 * MATE-KD: same masking, same weight, same steps; no generator and no generator steps.
 * Ours: uniform over the whole vocabulary (EDA swaps in WordNet synonyms or random words of the
 * sentence; a synonym variant is left for later).
 */
import type { EncodedBatch } from "../data/mod.ts";
import type { WordReplacement } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import type { AugmenterContext, DistillAugmenter } from "./augmenter.ts";
import { maskTokens } from "./token_masking.ts";

export interface RandomTokenKdOptions {
  vocab: readonly string[];
  /** Share of non-special tokens replaced; default 0.3 (MATE-KD's masking rate). */
  rate?: number;
  /** Weight of D(T(x'), S(x')); default 1/3 (as MATE-KD). */
  weight?: number;
  seed?: number;
}

const isSpecial = (t: string) => /^\[.*\]$/.test(t);

export function randomTokenKd(options: RandomTokenKdOptions): DistillAugmenter & {
  perturbedIds(batch: EncodedBatch): Int32Array;
} {
  const { vocab, rate = 0.3, weight = 1 / 3, seed = 0 } = options;
  const specialIds = new Set<number>();
  const ordinary: number[] = [];
  vocab.forEach((t, id) => (isSpecial(t) ? specialIds.add(id) : ordinary.push(id)));
  if (ordinary.length === 0) throw new RangeError("randomTokenKd: no ordinary token to draw");
  const prng = Prng.fromSeed(seed);
  const maskPrng = prng.fork(), drawPrng = prng.fork();
  const draw = (batch: EncodedBatch): WordReplacement => {
    const { positions } = maskTokens(batch, { rate, prng: maskPrng, specialIds, maskId: 0 });
    const ids = Int32Array.from(positions, () => ordinary[drawPrng.int(ordinary.length)]);
    return { positions, ids };
  };
  return {
    name: `random-token KD (rate ${rate})`,
    weight,
    prepare: (ctx: AugmenterContext) => {
      const r = draw(ctx.batch);
      return r.positions.length ? r : null;
    },
    perturbedIds(batch: EncodedBatch): Int32Array {
      const r = draw(batch);
      const ids = Int32Array.from(batch.inputIds);
      r.positions.forEach((q, k) => (ids[q] = r.ids![k]));
      return ids;
    },
    dispose: () => {},
  };
}
