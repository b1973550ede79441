/**
 * The whole word-vector build in memory: corpus → vocabulary → skip-gram → constraints with a
 * held-out share → counter-fitting. `deno task wordvectors` (experiments/wordvec/main.ts) writes
 * the result to data/wordvec/. Deterministic for `workers: 1`: the same inputs and settings give
 * the same bits.
 */
import { type Corpus, type CorpusOptions, readCorpus } from "./corpus.ts";
import {
  type ConstraintSplit,
  HELD_OUT_SEED,
  readConstraintPairs,
  splitConstraints,
} from "./constraints.ts";
import { counterFit, type CounterFitEpoch, normaliseRows } from "./counter_fit.ts";
import { Prng } from "../random/mod.ts";
import { centreAndNormalise } from "./postprocess.ts";
import { type SkipGramOptions, trainSkipGram } from "./skipgram.ts";
import { buildVocabulary, encodeCorpus, type Vocabulary } from "./vocabulary.ts";

/**
 * Every setting of a build, with the defaults of the shipped vectors. Dimension and epochs were
 * chosen on a validation split carved out of the training pairs (never the held-out pairs): see
 * the measurements in data/wordvec/README.md.
 */
export interface WordVecSettings {
  /** Words seen at least this often are kept (default 5). */
  minCount: number;
  /** Words of a synonym or antonym pair are kept from this count (default 1). */
  minPairWordCount: number;
  skipGram: Required<Omit<SkipGramOptions, "onEpoch" | "tableSize">> & { tableSize: number };
  counterFit: {
    delta: number;
    gamma: number;
    rho: number;
    k1: number;
    k2: number;
    k3: number;
    epochs: number;
  };
  /** Held-out share of each pair kind and its seed. */
  heldOut: number;
  heldOutSeed: number;
}

export const DEFAULT_SETTINGS: WordVecSettings = {
  minCount: 5,
  minPairWordCount: 1,
  skipGram: {
    dim: 100,
    window: 5,
    negative: 5,
    epochs: 20,
    sample: 1e-3,
    alpha: 0.025,
    seed: 1,
    workers: 1,
    tableSize: 10_000_000,
  },
  counterFit: { delta: 1.0, gamma: 0.0, rho: 0.2, k1: 0.1, k2: 0.1, k3: 0.1, epochs: 20 },
  heldOut: 0.1,
  heldOutSeed: HELD_OUT_SEED,
};

export interface WordVecBuild {
  settings: WordVecSettings;
  corpus: Omit<Corpus, "sequences">;
  vocab: Vocabulary;
  /** Tokens left after dropping words outside the vocabulary. */
  trainingTokens: number;
  /**
   * Skip-gram vectors (mean-centred, unit length: postprocess.ts) and the counter-fitted
   * vectors (unit length), [vocab, dim].
   */
  skipGram: Float32Array;
  counterFitted: Float32Array;
  constraints: ConstraintSplit;
  vspPairs: number;
  counterFitHistory: CounterFitEpoch[];
  /** Median cosine of seeded random word pairs in the raw and in the centred skip-gram space. */
  randomPairMedianCosine: { raw: number; centred: number };
  /** Wall time of each stage, seconds. */
  seconds: { corpus: number; skipGram: number; counterFit: number };
}

export interface BuildOptions extends Pick<CorpusOptions, "dataRoot" | "sources"> {
  settings?: WordVecSettings;
  log?: (line: string) => void;
}

/** Runs the build (see the file comment). */
export async function buildWordVectors(options: BuildOptions = {}): Promise<WordVecBuild> {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const log = options.log ?? (() => {});
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const s = (now - t) / 1000;
    t = now;
    return s;
  };
  const corpus = await readCorpus({ dataRoot: options.dataRoot, sources: options.sources });
  const pairs = await readConstraintPairs({ dataRoot: options.dataRoot });
  const pairWords = new Set<string>();
  for (const [a, b] of [...pairs.synonyms, ...pairs.antonyms]) pairWords.add(a).add(b);
  const vocab = buildVocabulary(corpus.sequences, {
    minCount: settings.minCount,
    keep: (w) => pairWords.has(w),
    minKeptCount: settings.minPairWordCount,
  });
  const encoded = encodeCorpus(corpus.sequences, vocab);
  const corpusSeconds = lap();
  log(
    `corpus: ${corpus.tokens} tokens, ${corpus.types} types, ${vocab.words.length} words kept, ` +
      `${encoded.ids.length} training tokens (${corpusSeconds.toFixed(1)} s)`,
  );
  const { sequences: _, ...corpusInfo } = corpus;
  const sg = await trainSkipGram(encoded, vocab, {
    ...settings.skipGram,
    onEpoch: (e) => log(`skip-gram epoch ${e.epoch}: ${e.seconds.toFixed(1)} s, ${e.pairs} pairs`),
  });
  const skipGram = centreAndNormalise(sg.vectors, sg.dim);
  const randomPairMedianCosine = {
    raw: medianRandomCosine(normaliseRows(sg.vectors, sg.dim), sg.dim),
    centred: medianRandomCosine(skipGram, sg.dim),
  };
  log(
    `skip-gram: median random-pair cosine ${randomPairMedianCosine.raw.toFixed(3)} raw, ` +
      `${randomPairMedianCosine.centred.toFixed(3)} mean-centred`,
  );
  const sgSeconds = lap();
  const constraints = splitConstraints(vocab, pairs, {
    heldOut: settings.heldOut,
    seed: settings.heldOutSeed,
  });
  log(
    `constraints: ${constraints.synonyms.length / 2} synonym and ` +
      `${constraints.antonyms.length / 2} antonym pairs to train, ` +
      `${constraints.heldOutSynonyms.length / 2} + ${constraints.heldOutAntonyms.length / 2} ` +
      "held out",
  );
  const cf = counterFit({ vectors: skipGram, dim: sg.dim }, constraints, {
    ...settings.counterFit,
    onEpoch: (e) =>
      log(
        `counter-fit epoch ${e.epoch}: AR ${e.antonymCost.toFixed(1)}, SA ${
          e.synonymCost.toFixed(1)
        }, VSP ${e.vspCost.toFixed(2)} (${e.seconds.toFixed(1)} s)`,
      ),
  });
  const cfSeconds = lap();
  log(`counter-fitting: ${cf.vspPairs} VSP pairs, ${cfSeconds.toFixed(1)} s`);
  return {
    settings,
    corpus: corpusInfo,
    vocab,
    trainingTokens: encoded.ids.length,
    skipGram,
    counterFitted: cf.vectors,
    constraints,
    vspPairs: cf.vspPairs,
    counterFitHistory: cf.history,
    randomPairMedianCosine,
    seconds: { corpus: corpusSeconds, skipGram: sgSeconds, counterFit: cfSeconds },
  };
}

/** Median cosine of 5,000 seeded random pairs of distinct rows of a unit matrix. */
function medianRandomCosine(unit: Float32Array, dim: number): number {
  const rows = unit.length / dim;
  if (rows < 2) return NaN;
  const prng = Prng.fromSeed(0);
  const cos: number[] = [];
  while (cos.length < 5000) {
    const a = prng.int(rows), b = prng.int(rows);
    if (a === b) continue;
    let d = 0;
    for (let j = 0; j < dim; j++) d += unit[a * dim + j] * unit[b * dim + j];
    cos.push(d);
  }
  cos.sort((x, y) => x - y);
  return (cos[2499] + cos[2500]) / 2;
}
