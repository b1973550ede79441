import type { Victim } from "../victim.ts";
import type { WordEmbedding } from "../embedding.ts";
import type { MaskedLM } from "../transformations/word_swap_masked_lm.ts";
import type { WordNet } from "../transformations/_wordnet.ts";
import type { MaskedWordScorer } from "../constraints/masked_lm_fluency.ts";

/** What every recipe builder takes. */
export interface RecipeOptions {
  victim: Victim;
  /**
   * Word vectors: textfooler, textbugger, bae (lib/robustness `attackResources` gives the
   * project's counter-fitted vectors, data/wordvec).
   */
  embedding?: WordEmbedding;
  /** Masked LM: bae's candidates; textfooler's fluency check (needs `wordLogProbs`). */
  mlm?: MaskedLM & Partial<MaskedWordScorer>;
  /** Queries per example; default Infinity (TextAttack's default). */
  queryBudget?: number;
  /** Texts per victim call; default 32. */
  batchSize?: number;
  /** Input columns; default ["text"]; NLI pairs ["premise", "hypothesis"]. */
  columnLabels?: readonly string[];
  /** Seed of random transformations; default 0. */
  seed?: number;
  /** Path of ppdb_synonyms.txt (default under <repo>/data/synonyms/). */
  ppdbPath?: string;
  /** Paths of the antonym pair files (default under <repo>/data/synonyms/). */
  antonymPaths?: readonly string[];
  wordnet?: WordNet;
}

export function need<T>(value: T | undefined, recipe: string, what: string, why: string): T {
  if (value === undefined) throw new TypeError(`Recipe "${recipe}" needs options.${what} (${why})`);
  return value;
}
