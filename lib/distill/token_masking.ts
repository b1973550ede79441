/**
 * Which tokens a masked-LM generator rewrites (MATE-KD: 30% of the non-special tokens): each
 * attended token other than [CLS], [SEP], [PAD] is chosen with probability `rate`, seeded; the
 * generator's input has [MASK] there.
 */
import type { EncodedBatch } from "../data/mod.ts";
import type { Prng } from "../random/mod.ts";

export interface TokenMaskingOptions {
  /** Share of the non-special tokens masked; MATE-KD 0.3. */
  rate: number;
  prng: Prng;
  /** Ids never masked: [CLS], [SEP], [PAD] (and any other special token). */
  specialIds: ReadonlySet<number>;
  maskId: number;
}

export interface MaskedTokens {
  /** The batch with [MASK] at the chosen positions (the generator's input). */
  masked: EncodedBatch;
  /** Flat positions (row * seqLen + col) chosen, ascending. */
  positions: Int32Array;
}

export function maskTokens(batch: EncodedBatch, o: TokenMaskingOptions): MaskedTokens {
  if (!(o.rate > 0 && o.rate < 1)) {
    throw new RangeError(`maskTokens: rate must be in (0, 1), got ${o.rate}`);
  }
  const ids = Int32Array.from(batch.inputIds);
  const positions: number[] = [];
  for (let q = 0; q < ids.length; q++) {
    if (batch.attentionMask[q] === 0 || o.specialIds.has(ids[q])) continue;
    if (o.prng.next() < o.rate) {
      positions.push(q);
      ids[q] = o.maskId;
    }
  }
  return { masked: { ...batch, inputIds: ids }, positions: Int32Array.from(positions) };
}
