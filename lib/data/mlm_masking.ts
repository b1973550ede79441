/**
 * BERT's masked-LM corruption (Devlin et al. 2019, section 3.1): choose `rate` (15%) of the
 * non-special, non-padding tokens of each row (at least one per row that has any); of those,
 * 80% become [MASK], 10% a random token, 10% stay. Returns the corrupted batch (a copy), the
 * flat positions (`row * seqLen + col`) that carry a prediction target and the original ids
 * there. All randomness from the given Prng.
 */
import type { EncodedBatch } from "./types.ts";
import type { Prng } from "../random/mod.ts";

export interface MaskOptions {
  /** Share of maskable tokens to predict (default 0.15). */
  rate?: number;
  maskId?: number; // 103
  /** Ids never chosen ([PAD], [UNK], [CLS], [SEP], [MASK] by default). */
  specialIds?: readonly number[];
  vocabSize?: number; // 30522, for random replacements
  /** First id drawn for random replacements (default 999: after BERT's [unused] block). */
  randomFrom?: number;
}

export interface MaskedBatch {
  batch: EncodedBatch;
  positions: Int32Array; // flat row * seqLen + col
  targets: Int32Array; // original ids at those positions
}

export function maskTokens(
  batch: EncodedBatch,
  prng: Prng,
  options: MaskOptions = {},
): MaskedBatch {
  const rate = options.rate ?? 0.15;
  if (!(rate > 0 && rate <= 1)) {
    throw new RangeError(`maskTokens: rate must be in (0, 1], got ${rate}`);
  }
  const maskId = options.maskId ?? 103;
  const special = new Set(options.specialIds ?? [0, 100, 101, 102, 103]);
  const vocabSize = options.vocabSize ?? 30522;
  const randomFrom = options.randomFrom ?? 999;
  const ids = Int32Array.from(batch.inputIds);
  const positions: number[] = [];
  const targets: number[] = [];
  const { batchSize: b, seqLen: s } = batch;
  for (let r = 0; r < b; r++) {
    const candidates: number[] = [];
    for (let c = 0; c < s; c++) {
      const k = r * s + c;
      if (batch.attentionMask[k] === 1 && !special.has(ids[k])) candidates.push(k);
    }
    if (candidates.length === 0) continue;
    const n = Math.max(1, Math.round(rate * candidates.length));
    prng.shuffle(candidates);
    for (const k of candidates.slice(0, n).sort((x, y) => x - y)) {
      positions.push(k);
      targets.push(ids[k]);
      const u = prng.next();
      if (u < 0.8) ids[k] = maskId;
      else if (u < 0.9) ids[k] = randomFrom + prng.int(vocabSize - randomFrom);
    }
  }
  return {
    batch: { ...batch, inputIds: ids },
    positions: Int32Array.from(positions),
    targets: Int32Array.from(targets),
  };
}
