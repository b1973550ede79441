/** Test helpers: a pure-JS bag-of-words victim, data paths, SST-2 dev sentences. */
import { existsSync, readFileSync } from "node:fs";
import { DATA_ROOT } from "./_data_root.ts";
import { type TextInput, wordsFromText } from "./attacked_text.ts";
import type { Victim } from "./victim.ts";
import { MatrixEmbedding } from "./embedding.ts";
import { Prng } from "../random/mod.ts";

/** `<repo>/data/<rel>`, or the shared copy while the project's data folder is being filled. */
export function testDataPath(rel: string): string {
  const main = DATA_ROOT + rel;
  if (existsSync(main)) return main;
  const shared = "/work/shared/data/" + rel;
  if (existsSync(shared)) return shared;
  throw new Error(`Test data ${rel} is in neither ${DATA_ROOT} nor /work/shared/data/`);
}

/** First `n` rows of SST-2 dev (`sentence<TAB>label`, header line). */
export function sst2Dev(n = Infinity): { text: string; label: number }[] {
  const lines = readFileSync(testDataPath("sst2/dev.tsv"), "utf-8").split("\n").slice(1).filter((
    l,
  ) => l.trim());
  return lines.slice(0, n).map((l) => {
    const [text, label] = l.split("\t");
    return { text: text.trim(), label: Number(label) };
  });
}

/**
 * Sentiment by summed word weights: p(positive) = sigmoid(bias + sum of weights of the
 * lower-cased words of both columns). Counts the rows it is asked for.
 */
export class BowVictim implements Victim {
  readonly numLabels = 2;
  rows = 0;
  calls = 0;
  constructor(readonly weights: Record<string, number>, readonly bias = 0) {}

  prob(input: TextInput): number[] {
    let z = this.bias;
    for (const w of wordsFromText(`${input.text} ${input.textB ?? ""}`.toLowerCase())) {
      z += this.weights[w] ?? 0;
    }
    const p = 1 / (1 + Math.exp(-z));
    return [1 - p, p];
  }

  predict(inputs: readonly TextInput[]): Promise<number[][]> {
    this.calls++;
    this.rows += inputs.length;
    return Promise.resolve(inputs.map((x) => this.prob(x)));
  }
}

/** A small sentiment lexicon for SST-2-like text (hand-made, for tests and the bench). */
export const SENTIMENT_WEIGHTS: Record<string, number> = {
  good: 2,
  great: 2.5,
  charming: 2,
  best: 2,
  fun: 1.5,
  funny: 1.5,
  beautiful: 2,
  love: 2,
  moving: 1.5,
  enjoyable: 2,
  brilliant: 2.5,
  wonderful: 2.5,
  fine: 1,
  entertaining: 2,
  smart: 1.5,
  touching: 1.5,
  affecting: 1,
  solid: 1,
  delightful: 2,
  engaging: 1.5,
  powerful: 1.5,
  excellent: 2.5,
  perfect: 2,
  bad: -2,
  worst: -2.5,
  boring: -2,
  dull: -2,
  mess: -2,
  stupid: -2,
  awful: -2.5,
  fails: -1.5,
  bleak: -1,
  desperate: -1,
  tedious: -2,
  lame: -2,
  flat: -1,
  poor: -1.5,
  unfunny: -2,
  waste: -2,
  nothing: -1,
  "n't": -0.5,
  too: -0.5,
  never: -0.5,
  predictable: -1.5,
  problem: -1,
  long: -0.5,
};

/**
 * A word embedding where PPDB synonyms are close: each word gets a random base vector (seeded),
 * and its vector is its base plus the mean base of its synonyms in the vocabulary. Used where a
 * recipe needs an embedding but the victim (bag of words) has none.
 */
export function synonymEmbedding(
  words: Iterable<string>,
  synonyms: (w: string) => readonly string[],
  options: { dim?: number; seed?: number } = {},
): MatrixEmbedding {
  const { dim = 32, seed = 0 } = options;
  const vocab = [...new Set([...words].map((w) => w.toLowerCase()))];
  const inVocab = new Set(vocab);
  const prng = Prng.fromSeed(seed);
  const base = new Map(
    vocab.map((w) => [w, Float32Array.from({ length: dim }, () => prng.normal())]),
  );
  const m = new Float32Array(vocab.length * dim);
  vocab.forEach((w, r) => {
    const syn = synonyms(w).filter((s) => inVocab.has(s));
    for (let j = 0; j < dim; j++) {
      let v = base.get(w)![j];
      for (const s of syn) v += base.get(s)![j] / syn.length;
      m[r * dim + j] = v;
    }
  });
  return new MatrixEmbedding(vocab, m);
}
