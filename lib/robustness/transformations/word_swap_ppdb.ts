/**
 * Swaps a word for its PPDB 2.0 paraphrase-database synonyms: the pairs Mrkšić et al. (2016)
 * used to counter-fit word vectors (`data/synonyms/ppdb_synonyms.txt`, `word word` per line,
 * read once per path and cached; pairs are used in both directions). Not a TextAttack
 * transformation: it stands in for the counter-fitted embedding neighbours TextFooler uses.
 */
import { readFileSync } from "node:fs";
import { dataPath } from "../_data_root.ts";
import { recoverWordCase, WordSwap } from "./word_swap.ts";

const tables = new Map<string, Map<string, string[]>>();

/** The synonym table of a pair file (cached per path). */
export function loadSynonymPairs(path: string): Map<string, string[]> {
  const hit = tables.get(path);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(path, "utf-8");
  } catch (e) {
    throw new Error(
      `Cannot read synonym pairs ${path}: ${
        (e as Error).message
      }. Pass { path } to point at ppdb_synonyms.txt`,
    );
  }
  const sets = new Map<string, Set<string>>();
  const add = (a: string, b: string) => {
    let s = sets.get(a);
    if (!s) sets.set(a, s = new Set());
    s.add(b);
  };
  text.split("\n").forEach((line, n) => {
    const t = line.trim();
    if (!t) return;
    const parts = t.split(/\s+/);
    if (parts.length !== 2) {
      throw new SyntaxError(`${path}:${n + 1}: expected "word word", got "${t}"`);
    }
    const [a, b] = parts.map((w) => w.toLowerCase());
    if (a === b) return;
    add(a, b);
    add(b, a);
  });
  const table = new Map([...sets].map(([k, v]) => [k, [...v]]));
  tables.set(path, table);
  return table;
}

export class WordSwapPPDB extends WordSwap {
  readonly name = "WordSwapPPDB";
  readonly path: string;
  readonly maxCandidates: number;
  #table: Map<string, string[]> | undefined;

  /** `path` default `<repo>/data/synonyms/ppdb_synonyms.txt`; `maxCandidates` default Infinity. */
  constructor(options: { path?: string; maxCandidates?: number } = {}) {
    super();
    this.path = options.path ?? dataPath("synonyms/ppdb_synonyms.txt");
    this.maxCandidates = options.maxCandidates ?? Infinity;
  }

  /** All synonyms of a word (lower-cased lookup). */
  synonyms(word: string): readonly string[] {
    this.#table ??= loadSynonymPairs(this.path);
    return this.#table.get(word.toLowerCase()) ?? [];
  }

  replacementWords(word: string): string[] {
    return this.synonyms(word).slice(0, this.maxCandidates).map((s) => recoverWordCase(s, word));
  }
}
