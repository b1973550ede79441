/**
 * Skip-gram with negative sampling (Mikolov et al. 2013, NeurIPS: "Distributed Representations
 * of Words and Phrases and their Compositionality"), in plain TypeScript over Float32Arrays,
 * following word2vec.c:
 *
 * - subsampling of frequent words: an occurrence of a word with corpus frequency `f` is kept
 *   with probability `(sqrt(f / (sample * N)) + 1) * (sample * N) / f` (N = corpus words);
 * - a window of `window` words each side, shrunk per centre word by a uniform `b` in
 *   [0, window);
 * - `negative` targets per (context, centre) pair drawn from a unigram^0.75 table;
 * - learning rate decaying linearly from `alpha` to `alpha * 1e-4` over all epochs;
 * - input vectors uniform in (-0.5 / dim, 0.5 / dim), output vectors zero.
 *
 * Every random draw comes from the seeded `Prng` (lib/random). With `workers: 1` (default) the
 * result is a pure function of corpus, vocabulary and options. `workers: 2` runs Hogwild
 * (Recht et al. 2011, as word2vec's threads): Deno Workers update shared vectors without locks,
 * each on its half of the corpus, so results differ run to run by thread timing.
 */
import { Prng } from "../random/mod.ts";
import { type SgnsState, trainSequences } from "./_sgns_kernel.ts";
import type { EncodedCorpus, Vocabulary } from "./vocabulary.ts";

export interface SkipGramOptions {
  /** Vector size (default 100). */
  dim?: number;
  /** Context words each side (default 5). */
  window?: number;
  /** Negative samples per pair (default 5). */
  negative?: number;
  /** Passes over the corpus (default 5). */
  epochs?: number;
  /** Subsampling threshold (default 1e-3; 0 keeps every word). */
  sample?: number;
  /** Starting learning rate (default 0.025, word2vec's skip-gram default). */
  alpha?: number;
  /** Seed of the `Prng` (default 1). */
  seed?: number;
  /** 1 (deterministic, default) or more for Hogwild workers. */
  workers?: number;
  /** Entries of the unigram^0.75 table (default 1e7). */
  tableSize?: number;
  /** Called after each epoch (workers: 1) or when all workers finish (workers > 1). */
  onEpoch?: (info: { epoch: number; seconds: number; pairs: number }) => void;
}

export interface SkipGramResult {
  /** [vocab, dim] input vectors, row-major. */
  vectors: Float32Array;
  dim: number;
  /** (context, centre) pairs trained over all epochs. */
  pairs: number;
  seconds: number;
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`trainSkipGram: ${name} must be an integer >= ${min}, got ${v}`);
  }
}

/** The unigram^0.75 negative-sampling table (word2vec's `InitUnigramTable`). */
export function unigramTable(counts: Int32Array, size: number): Int32Array {
  const power = 0.75;
  const table = new Int32Array(size);
  const v = counts.length;
  if (v === 0) return table;
  let total = 0;
  for (let i = 0; i < v; i++) total += Math.pow(counts[i], power);
  let i = 0;
  let cum = Math.pow(counts[0], power) / total;
  for (let a = 0; a < size; a++) {
    table[a] = i;
    if (a / size > cum && i < v - 1) {
      i++;
      cum += Math.pow(counts[i], power) / total;
    }
  }
  return table;
}

/** Keep probability of each word under subsampling threshold `sample` (word2vec's formula). */
export function keepProbabilities(counts: Int32Array, sample: number): Float64Array {
  const keep = new Float64Array(counts.length).fill(1);
  if (sample <= 0) return keep;
  let n = 0;
  for (const c of counts) n += c;
  const t = sample * n;
  for (let i = 0; i < counts.length; i++) {
    keep[i] = counts[i] > 0 ? (Math.sqrt(counts[i] / t) + 1) * t / counts[i] : 1;
  }
  return keep;
}

function sharedCopy<T extends Int32Array | Float32Array | Float64Array>(a: T, shared: boolean): T {
  if (!shared) return a;
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T };
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** Trains skip-gram vectors for `vocab` on `corpus` (see the file comment). */
export async function trainSkipGram(
  corpus: EncodedCorpus,
  vocab: Vocabulary,
  options: SkipGramOptions = {},
): Promise<SkipGramResult> {
  const {
    dim = 100,
    window = 5,
    negative = 5,
    epochs = 5,
    sample = 1e-3,
    alpha = 0.025,
    seed = 1,
    workers = 1,
    tableSize = 10_000_000,
    onEpoch,
  } = options;
  checkInt("dim", dim, 1);
  checkInt("window", window, 1);
  checkInt("negative", negative, 0);
  checkInt("epochs", epochs, 1);
  checkInt("workers", workers, 1);
  checkInt("tableSize", tableSize, 1);
  if (!(sample >= 0) || !(alpha > 0)) {
    throw new RangeError(`trainSkipGram: need sample >= 0 and alpha > 0, got ${sample}, ${alpha}`);
  }
  const v = vocab.words.length;
  for (const id of corpus.ids) {
    if (id < 0 || id >= v) {
      throw new RangeError(`trainSkipGram: corpus id ${id} outside the vocabulary of ${v}`);
    }
  }
  const t0 = performance.now();
  const prng = Prng.fromSeed(seed);
  const init = prng.fork();
  const shared = workers > 1;
  const syn0 = sharedCopy(new Float32Array(v * dim), shared);
  for (let i = 0; i < syn0.length; i++) syn0[i] = (init.next() - 0.5) / dim;
  const state: SgnsState = {
    dim,
    window,
    negative,
    alpha,
    minAlpha: alpha * 1e-4,
    syn0,
    syn1: sharedCopy(new Float32Array(v * dim), shared),
    table: sharedCopy(unigramTable(vocab.counts, tableSize), shared),
    keep: sharedCopy(keepProbabilities(vocab.counts, sample), shared),
    ids: sharedCopy(corpus.ids, shared),
    offsets: sharedCopy(corpus.offsets, shared),
  };
  const sequences = corpus.offsets.length - 1;
  let pairs = 0;
  if (!shared) {
    const train = prng.fork();
    const schedule = { done: 0, total: Math.max(1, epochs * corpus.ids.length) };
    for (let e = 0; e < epochs; e++) {
      const p = trainSequences(state, 0, sequences, train, schedule);
      pairs += p;
      onEpoch?.({ epoch: e + 1, seconds: (performance.now() - t0) / 1000, pairs: p });
    }
  } else {
    pairs = await hogwild(state, sequences, epochs, workers, prng);
    onEpoch?.({ epoch: epochs, seconds: (performance.now() - t0) / 1000, pairs });
  }
  const vectors = new Float32Array(state.syn0.length);
  vectors.set(state.syn0);
  return { vectors, dim, pairs, seconds: (performance.now() - t0) / 1000 };
}

/** Sequence boundaries that split the corpus into `parts` runs of about equal words. */
function splitByWords(offsets: Int32Array, parts: number): number[] {
  const sequences = offsets.length - 1;
  const total = offsets[sequences];
  const cuts = [0];
  let q = 0;
  for (let p = 1; p < parts; p++) {
    while (q < sequences && offsets[q] < (total * p) / parts) q++;
    cuts.push(q);
  }
  cuts.push(sequences);
  return cuts;
}

async function hogwild(
  state: SgnsState,
  sequences: number,
  epochs: number,
  workers: number,
  prng: Prng,
): Promise<number> {
  const cuts = splitByWords(state.offsets, workers);
  const runs = Array.from({ length: workers }, (_, w) => {
    const worker = new Worker(new URL("./_skipgram_worker.ts", import.meta.url), {
      type: "module",
    });
    return new Promise<number>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ pairs?: number; error?: string }>) => {
        worker.terminate();
        if (e.data.error !== undefined) reject(new Error(`skip-gram worker ${w}: ${e.data.error}`));
        else resolve(e.data.pairs ?? 0);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker.terminate();
        reject(new Error(`skip-gram worker ${w}: ${e.message}`));
      };
      worker.postMessage({
        state,
        from: cuts[w],
        to: cuts[w + 1],
        epochs,
        prng: prng.fork().state(),
      });
    });
  });
  const done = await Promise.all(runs);
  if (cuts[workers] !== sequences) throw new Error("hogwild: split does not cover the corpus");
  return done.reduce((a, b) => a + b, 0);
}
