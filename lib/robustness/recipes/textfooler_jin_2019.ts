/**
 * TextFooler: Jin, Jin, Zhou & Szolovits (2020), "Is BERT Really Robust? A Strong Baseline for
 * Natural Language Attack on Text Classification and Entailment", AAAI. arXiv:1907.11932.
 * Composition follows TextAttack's `TextFoolerJin2019`: greedy search over words ranked by
 * deletion importance; constraints RepeatModification, StopwordModification (TextFooler's
 * stopword list), InputColumnModification (premise frozen, pairs only), WordEmbeddingDistance
 * (min cosine 0.5), PartOfSpeech (noun/verb swaps allowed), sentence similarity (angular,
 * threshold 0.840845057, window 15, against the previous text).
 *
 * Deviations (resources TextFooler downloads are unreachable here):
 * - Candidates: instead of the 50 nearest counter-fitted PARAGRAM neighbours, the union of PPDB
 *   synonyms (the pairs the counter-fitted vectors were trained on), WordNet synonyms and the
 *   `embeddingCandidates` (default 15) nearest neighbours in `options.embedding`, capped at
 *   `maxCandidates` (default 50) per word, and with known antonyms rejected (AntonymExclusion)
 *   because plain embedding neighbours include antonyms that counter-fitting pushes apart.
 * - WordEmbeddingDistance uses `options.embedding` (victim's or teacher's table), not
 *   counter-fitted vectors.
 * - Universal Sentence Encoder -> WindowEmbeddingSimilarity (mean-pooled word vectors of the
 *   window): a weaker filter at the same threshold.
 * - POS tags from wink-nlp, not NLTK. InputColumnModification is added only for
 *   ["premise", "hypothesis"] inputs (TextAttack adds it always; it is a no-op otherwise).
 */
import { Attack } from "../attack.ts";
import { UntargetedClassification } from "../goal_function.ts";
import { AntonymExclusion } from "../constraints/antonym_exclusion.ts";
import { InputColumnModification } from "../constraints/input_column_modification.ts";
import { PartOfSpeech } from "../constraints/part_of_speech.ts";
import { RepeatModification } from "../constraints/repeat_modification.ts";
import {
  StopwordModification,
  TEXTFOOLER_STOPWORDS,
} from "../constraints/stopword_modification.ts";
import { WindowEmbeddingSimilarity } from "../constraints/window_similarity.ts";
import { WordEmbeddingDistance } from "../constraints/word_embedding_distance.ts";
import { GreedyWordSwapWIR } from "../search/greedy_word_swap_wir.ts";
import { WordSwapEmbedding } from "../transformations/word_swap_embedding.ts";
import { WordSwapPPDB } from "../transformations/word_swap_ppdb.ts";
import { WordSwapWordNet } from "../transformations/word_swap_wordnet.ts";
import { WordSwap } from "../transformations/word_swap.ts";
import type { AnyConstraint } from "../constraint.ts";
import { need, type RecipeOptions } from "./_options.ts";

/** PPDB + WordNet + embedding neighbours, first `maxCandidates` distinct candidates. */
class SynonymCandidates extends WordSwap {
  readonly name: string;
  constructor(readonly parts: readonly WordSwap[], readonly maxCandidates: number) {
    super();
    this.name = `SynonymCandidates(${parts.map((p) => p.name).join(" + ")}, max ${maxCandidates})`;
  }
  async replacementWords(word: string): Promise<string[]> {
    const out = new Set<string>();
    for (const p of this.parts) {
      for (const w of await p.replacementWords(word)) {
        if (out.size >= this.maxCandidates) return [...out];
        if (w.toLowerCase() !== word.toLowerCase()) out.add(w);
      }
    }
    return [...out];
  }
}

export interface TextFoolerOptions extends RecipeOptions {
  /** Candidates per word; default 50. */
  maxCandidates?: number;
  /** Embedding neighbours among them; default 15. */
  embeddingCandidates?: number;
}

export function textFoolerJin2019(options: TextFoolerOptions): Attack {
  const embedding = need(
    options.embedding,
    "textfooler",
    "embedding",
    "word-embedding distance and sentence similarity",
  );
  const { maxCandidates = 50, embeddingCandidates = 15, columnLabels = ["text"] } = options;
  const transformation = new SynonymCandidates([
    new WordSwapPPDB({ path: options.ppdbPath }),
    new WordSwapWordNet({ wordnet: options.wordnet }),
    ...(embeddingCandidates > 0
      ? [new WordSwapEmbedding(embedding, { maxCandidates: embeddingCandidates })]
      : []),
  ], maxCandidates);
  const constraints: AnyConstraint[] = [
    new RepeatModification(),
    new StopwordModification({ stopwords: TEXTFOOLER_STOPWORDS }),
  ];
  if (
    columnLabels.length === 2 && columnLabels[0] === "premise" && columnLabels[1] === "hypothesis"
  ) {
    constraints.push(new InputColumnModification(["premise", "hypothesis"], ["premise"]));
  }
  constraints.push(
    new AntonymExclusion({ paths: options.antonymPaths }),
    new WordEmbeddingDistance(embedding, { minCosSim: 0.5 }),
    new PartOfSpeech({ allowVerbNounSwap: true }),
    new WindowEmbeddingSimilarity(embedding, {
      threshold: 0.840845057,
      metric: "angular",
      compareAgainstOriginal: false,
      windowSize: 15,
      skipTextShorterThanWindow: true,
    }),
  );
  return new Attack({
    goalFunction: new UntargetedClassification(options.victim, {
      queryBudget: options.queryBudget,
      batchSize: options.batchSize,
    }),
    constraints,
    transformation,
    searchMethod: new GreedyWordSwapWIR({ wirMethod: "delete" }),
  }, { columnLabels, seed: options.seed });
}
