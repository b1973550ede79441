/**
 * Linguistic constraints for counter-fitting (Mrkšić et al. 2016): synonym pairs (PPDB 2.0,
 * `data/synonyms/ppdb_synonyms.txt`) to attract and antonym pairs (WordNet and PPDB,
 * `wordnet_antonyms.txt` + `ppdb_antonyms.txt`) to repel, `word word` a line.
 *
 * Pairs are unordered and kept once; a pair needs both words in the vocabulary and two different
 * words. A pair listed as both synonyms and antonyms is kept as antonyms only (as the reference
 * implementation, nmrksic/counter-fitting, does). A seeded share of each kind (default 10%) is
 * held out of training for evaluation.
 */
import { z } from "zod";
import { Prng } from "../random/mod.ts";
import { dataRootOf, readLines } from "./_text_files.ts";
import type { Vocabulary } from "./vocabulary.ts";

/** The bundled pair files, relative to the data root. */
export const SYNONYM_FILES: readonly string[] = ["synonyms/ppdb_synonyms.txt"];
export const ANTONYM_FILES: readonly string[] = [
  "synonyms/wordnet_antonyms.txt",
  "synonyms/ppdb_antonyms.txt",
];

/** Default seed of the held-out split. */
export const HELD_OUT_SEED = 2016;

const lineSchema = z.string().trim().transform((s) => s.split(/\s+/)).pipe(
  z.tuple([z.string().min(1), z.string().min(1)]),
);

/** The word pairs of one file, lower-cased, in file order (empty lines skipped). */
export async function readPairFile(
  rel: string,
  options: { dataRoot?: string } = {},
): Promise<[string, string][]> {
  const { display, lines } = await readLines(dataRootOf(options.dataRoot), rel, "utf-8");
  const out: [string, string][] = [];
  for (const { text, line } of lines) {
    if (text.trim() === "") continue;
    const r = lineSchema.safeParse(text);
    if (!r.success) {
      throw new SyntaxError(
        `Cannot read ${display}: line ${line} is ${JSON.stringify(text)}, expected "word word"`,
      );
    }
    out.push([r.data[0].toLowerCase(), r.data[1].toLowerCase()]);
  }
  return out;
}

/** Unordered id pairs, flat: pair `p` is `(ids[2p], ids[2p + 1])` with the smaller id first. */
export type PairList = Int32Array;

export interface ConstraintSplit {
  /** Training pairs (counter-fitting uses these). */
  synonyms: PairList;
  antonyms: PairList;
  /** Held-out pairs (evaluation only). */
  heldOutSynonyms: PairList;
  heldOutAntonyms: PairList;
  /** Distinct pairs in the files, and how many had both words in the vocabulary. */
  counts: {
    synonymPairs: number;
    synonymPairsInVocab: number;
    antonymPairs: number;
    antonymPairsInVocab: number;
    /** In-vocabulary pairs listed as both (kept as antonyms). */
    bothSynonymAndAntonym: number;
  };
}

export interface SplitOptions {
  /** Share of each kind held out (default 0.1). */
  heldOut?: number;
  /** Seed of the held-out draw (default `HELD_OUT_SEED`). */
  seed?: number;
}

function uniquePairs(pairs: readonly (readonly [string, string])[]): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const [a, b] of pairs) {
    if (a === b) continue;
    const p: [string, string] = a < b ? [a, b] : [b, a];
    out.set(`${p[0]} ${p[1]}`, p);
  }
  return out;
}

/** Keeps pairs inside `vocab`, removes synonym/antonym overlaps and holds out a seeded share. */
export function splitConstraints(
  vocab: Vocabulary,
  pairs: {
    synonyms: readonly (readonly [string, string])[];
    antonyms: readonly (readonly [string, string])[];
  },
  options: SplitOptions = {},
): ConstraintSplit {
  const { heldOut = 0.1, seed = HELD_OUT_SEED } = options;
  const { synonyms: synonymPairs, antonyms: antonymPairs } = pairs;
  if (!(heldOut >= 0 && heldOut < 1)) {
    throw new RangeError(`splitConstraints: heldOut must be in [0, 1), got ${heldOut}`);
  }
  const syn = uniquePairs(synonymPairs), ant = uniquePairs(antonymPairs);
  const toIds = (m: Map<string, [string, string]>) => {
    const out: [number, number, string][] = [];
    for (const [key, [a, b]] of m) {
      const i = vocab.index.get(a), j = vocab.index.get(b);
      if (i !== undefined && j !== undefined) out.push([Math.min(i, j), Math.max(i, j), key]);
    }
    out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    return out;
  };
  const antIds = toIds(ant);
  const antKeys = new Set(antIds.map((p) => p[2]));
  const synAll = toIds(syn);
  const synIds = synAll.filter((p) => !antKeys.has(p[2]));
  const prng = Prng.fromSeed(seed);
  const split = (ids: [number, number, string][], rng: Prng) => {
    const order = rng.shuffle(ids.map((_, i) => i));
    const nHeld = Math.round(heldOut * ids.length);
    const held = new Set(order.slice(0, nHeld));
    const flat = (keep: (i: number) => boolean) => {
      const sel = ids.filter((_, i) => keep(i));
      return Int32Array.from(sel.flatMap(([a, b]) => [a, b]));
    };
    return { train: flat((i) => !held.has(i)), held: flat((i) => held.has(i)) };
  };
  const s = split(synIds, prng.fork());
  const a = split(antIds, prng.fork());
  return {
    synonyms: s.train,
    antonyms: a.train,
    heldOutSynonyms: s.held,
    heldOutAntonyms: a.held,
    counts: {
      synonymPairs: syn.size,
      synonymPairsInVocab: synAll.length,
      antonymPairs: ant.size,
      antonymPairsInVocab: antIds.length,
      bothSynonymAndAntonym: synAll.length - synIds.length,
    },
  };
}

/** Reads the bundled synonym and antonym files. */
export async function readConstraintPairs(options: { dataRoot?: string } = {}): Promise<{
  synonyms: [string, string][];
  antonyms: [string, string][];
}> {
  const synonyms: [string, string][] = [], antonyms: [string, string][] = [];
  for (const f of SYNONYM_FILES) synonyms.push(...await readPairFile(f, options));
  for (const f of ANTONYM_FILES) antonyms.push(...await readPairFile(f, options));
  return { synonyms, antonyms };
}
