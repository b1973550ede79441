/**
 * The inner loop of skip-gram with negative sampling (Mikolov et al. 2013, "Distributed
 * Representations of Words and Phrases and their Compositionality"), as word2vec.c runs it: for
 * each kept word, a window shrunk by a random `b` in [0, window), and for each context word in it
 * one positive and `negative` sampled targets; the context word's input vector is the one
 * trained against the centre word's output vector (word2vec's `syn0[last_word]` vs `syn1neg`).
 * Shared by the in-process trainer and the Hogwild workers.
 */
import type { Prng } from "../random/mod.ts";

const MAX_EXP = 6;

/** Everything one trainer thread reads and writes. */
export interface SgnsState {
  dim: number;
  window: number;
  negative: number;
  /** Starting learning rate and its floor (word2vec: alpha * 1e-4). */
  alpha: number;
  minAlpha: number;
  /** [vocab, dim] input vectors (the word vectors) and output vectors. */
  syn0: Float32Array;
  syn1: Float32Array;
  /** Unigram^0.75 table of word ids. */
  table: Int32Array;
  /** Probability of keeping each occurrence of a word (subsampling; >= 1 = always). */
  keep: Float64Array;
  ids: Int32Array;
  offsets: Int32Array;
}

/** Words seen so far and the total the learning rate decays over (linear, word2vec). */
export interface SgnsSchedule {
  done: number;
  total: number;
}

/**
 * Trains on sequences `[from, to)` once, advancing `schedule.done` by the words read (before
 * subsampling, as word2vec counts). Returns the number of (context, centre) pairs trained.
 */
export function trainSequences(
  s: SgnsState,
  from: number,
  to: number,
  prng: Prng,
  schedule: SgnsSchedule,
): number {
  const { dim, window, negative, syn0, syn1, table, keep, ids, offsets } = s;
  const tableSize = table.length;
  const neu1e = new Float64Array(dim);
  const sen = new Int32Array(maxLength(offsets, from, to));
  let pairs = 0;
  for (let q = from; q < to; q++) {
    const start = offsets[q], end = offsets[q + 1];
    let len = 0;
    for (let p = start; p < end; p++) {
      const w = ids[p];
      const k = keep[w];
      if (k >= 1 || k >= prng.next()) sen[len++] = w;
    }
    for (let i = 0; i < len; i++) {
      const frac = schedule.done / schedule.total;
      const alpha = Math.max(s.minAlpha, s.alpha * (1 - frac));
      schedule.done += (end - start) / Math.max(1, len);
      const word = sen[i];
      const b = prng.nextUint32() % window;
      for (let a = b; a < 2 * window + 1 - b; a++) {
        if (a === window) continue;
        const c = i - window + a;
        if (c < 0 || c >= len) continue;
        const l1 = sen[c] * dim;
        neu1e.fill(0);
        for (let d = 0; d <= negative; d++) {
          let target: number, label: number;
          if (d === 0) {
            target = word;
            label = 1;
          } else {
            target = table[prng.nextUint32() % tableSize];
            if (target === word) continue;
            label = 0;
          }
          const l2 = target * dim;
          // Four partial sums: the dot product is latency-bound with one.
          let f0 = 0, f1 = 0, f2 = 0, f3 = 0;
          let j = 0;
          for (; j + 3 < dim; j += 4) {
            f0 += syn0[l1 + j] * syn1[l2 + j];
            f1 += syn0[l1 + j + 1] * syn1[l2 + j + 1];
            f2 += syn0[l1 + j + 2] * syn1[l2 + j + 2];
            f3 += syn0[l1 + j + 3] * syn1[l2 + j + 3];
          }
          let f = (f0 + f1) + (f2 + f3);
          for (; j < dim; j++) f += syn0[l1 + j] * syn1[l2 + j];
          let g: number;
          if (f > MAX_EXP) g = (label - 1) * alpha;
          else if (f < -MAX_EXP) g = label * alpha;
          else g = (label - 1 / (1 + Math.exp(-f))) * alpha;
          for (let k = 0; k < dim; k++) {
            const o = syn1[l2 + k];
            neu1e[k] += g * o;
            syn1[l2 + k] = o + g * syn0[l1 + k];
          }
        }
        for (let j = 0; j < dim; j++) syn0[l1 + j] += neu1e[j];
        pairs++;
      }
    }
    if (len === 0) schedule.done += end - start;
  }
  return pairs;
}

function maxLength(offsets: Int32Array, from: number, to: number): number {
  let m = 0;
  for (let q = from; q < to; q++) m = Math.max(m, offsets[q + 1] - offsets[q]);
  return m;
}
