/**
 * Vocabulary pruning for students with a reduced embedding table.
 *
 * `buildVocabMap` keeps the full-vocabulary ids that occur at least `minCount` times in the given
 * id lists, plus [UNK] (always: it is the fallback) and, with `keepSpecial`, [PAD] [CLS] [SEP]
 * [MASK]. Small ids are given in ascending full-id order, so [PAD]=0 stays 0 and the mapping does
 * not depend on counting ties. `toSmall[fullId]` is the small id, or the small id of [UNK] for
 * dropped ids; `toFull[smallId]` is the full id (use it to gather rows of a full BERT embedding
 * matrix: `tf.gather(fullEmbedding, toFull)`). `remapBatch` rewrites a batch's `inputIds`.
 */
import type { EncodedBatch } from "./types.ts";

export interface VocabMap {
  /** [fullVocabSize] full id → small id ([UNK]'s small id for dropped ids). */
  toSmall: Int32Array;
  /** [smallVocabSize] small id → full id, ascending. */
  toFull: Int32Array;
  /** Small vocabulary size (= toFull.length). */
  size: number;
  /** Small id of [UNK]. */
  unk: number;
}

export interface VocabMapOptions {
  /** Keep [PAD] [CLS] [SEP] [MASK] even if unseen (default true). [UNK] is always kept. */
  keepSpecial?: boolean;
  /** Keep an id seen at least this often (default 1). */
  minCount?: number;
  /** Full vocabulary size (default 30522, bert-base-uncased). */
  fullVocabSize?: number;
  /**
   * Full ids of the special tokens (default BERT's: pad 0, unk 100, cls 101, sep 102, mask 103).
   */
  specialIds?: { pad: number; unk: number; cls: number; sep: number; mask: number };
}

const BERT_SPECIALS = { pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 };

/** Counts how often each full id occurs in `idLists`. */
export function countIds(idLists: Iterable<ArrayLike<number>>, fullVocabSize = 30522): Uint32Array {
  const counts = new Uint32Array(fullVocabSize);
  for (const ids of idLists) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!(id >= 0 && id < fullVocabSize) || !Number.isInteger(id)) {
        throw new RangeError(`Token id ${id} is outside the vocabulary [0, ${fullVocabSize})`);
      }
      counts[id]++;
    }
  }
  return counts;
}

/** Builds the full → small id mapping from the ids a corpus uses. */
export function buildVocabMap(
  idLists: Iterable<ArrayLike<number>>,
  options: VocabMapOptions = {},
): VocabMap {
  const fullVocabSize = options.fullVocabSize ?? 30522;
  const minCount = options.minCount ?? 1;
  const sp = options.specialIds ?? BERT_SPECIALS;
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new RangeError(`minCount must be a positive integer, got ${minCount}`);
  }
  const counts = countIds(idLists, fullVocabSize);
  const keep = new Uint8Array(fullVocabSize);
  for (let id = 0; id < fullVocabSize; id++) if (counts[id] >= minCount) keep[id] = 1;
  keep[sp.unk] = 1;
  if (options.keepSpecial ?? true) {
    for (const id of [sp.pad, sp.cls, sp.sep, sp.mask]) keep[id] = 1;
  }
  const full: number[] = [];
  for (let id = 0; id < fullVocabSize; id++) if (keep[id]) full.push(id);
  const toFull = Int32Array.from(full);
  const toSmall = new Int32Array(fullVocabSize);
  const unk = full.indexOf(sp.unk);
  toSmall.fill(unk);
  toFull.forEach((f, s) => (toSmall[f] = s));
  return { toSmall, toFull, size: toFull.length, unk };
}

/** A copy of `batch` with `inputIds` mapped to the small vocabulary (other fields shared). */
export function remapBatch(batch: EncodedBatch, map: VocabMap): EncodedBatch {
  const inputIds = new Int32Array(batch.inputIds.length); // [batch * seqLen]
  for (let i = 0; i < inputIds.length; i++) {
    const id = batch.inputIds[i];
    if (id < 0 || id >= map.toSmall.length) {
      throw new RangeError(
        `Batch token id ${id} is outside the mapped vocabulary [0, ${map.toSmall.length})`,
      );
    }
    inputIds[i] = map.toSmall[id];
  }
  return { ...batch, inputIds };
}
