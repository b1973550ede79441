import type { AttackedText } from "../attacked_text.ts";
import { type Constraint, WORD_SWAPS_ONLY } from "../constraint.ts";
import { dataPath } from "../_data_root.ts";
import { loadSynonymPairs } from "../transformations/word_swap_ppdb.ts";

/**
 * Rejects swaps of a word for a known antonym (PPDB and WordNet antonym pairs of Mrkšić et al.
 * 2016, `data/synonyms/{ppdb,wordnet}_antonyms.txt`). Not a TextAttack constraint: counter-fitted
 * vectors push antonyms apart, and this restores that property for the stand-in candidates
 * (WordNet, PPDB, plain embedding neighbours, where "good" and "bad" are close).
 */
export class AntonymExclusion implements Constraint {
  readonly stage = "post" as const;
  readonly name = "AntonymExclusion";
  readonly supportedKinds = WORD_SWAPS_ONLY;
  readonly compareAgainstOriginal = true;
  readonly paths: readonly string[];
  #tables: Map<string, string[]>[] | undefined;

  /** `paths` default: the two antonym files under `<repo>/data/synonyms/`. */
  constructor(options: { paths?: readonly string[] } = {}) {
    this.paths = options.paths ??
      [dataPath("synonyms/ppdb_antonyms.txt"), dataPath("synonyms/wordnet_antonyms.txt")];
  }

  isAntonym(a: string, b: string): boolean {
    this.#tables ??= this.paths.map((p) => loadSynonymPairs(p));
    const x = a.toLowerCase(), y = b.toLowerCase();
    return this.#tables.some((t) => t.get(x)?.includes(y) ?? false);
  }

  checkMany(texts: AttackedText[], reference: AttackedText): AttackedText[] {
    return texts.filter((t) => {
      for (const i of t.attrs.newlyModifiedIndices) {
        if (
          i < reference.numWords && i < t.numWords && this.isAntonym(reference.words[i], t.words[i])
        ) return false;
      }
      return true;
    });
  }
}
