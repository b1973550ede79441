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
 * - Counter-fitted vectors: `options.embedding` is, through lib/robustness `attackResources`,
 *   the project's own counter-fitted vectors (data/wordvec: skip-gram on the bundled text, then
 *   counter-fitted to the same PPDB / WordNet pairs as Mrkšić et al. 2016) instead of
 *   counter-fitted PARAGRAM; candidates are their 50 nearest neighbours (TextAttack), filtered
 *   by WordEmbeddingDistance (cos >= 0.5) in the same vectors.
 * - AntonymExclusion (ours): known WordNet/PPDB antonyms are rejected, because our
 *   counter-fitting separates synonyms from antonyms less than the published vectors (held-out
 *   AUC 0.884, data/wordvec/README.md).
 * - PartOfSpeech also keeps a verb's inflection (`verbForm`, ours): the universal tags alone let
 *   "affecting" (tagged VERB) become "dissemble".
 * - Universal Sentence Encoder -> WindowEmbeddingSimilarity (mean-pooled counter-fitted vectors
 *   of the window) at the same threshold, plus MaskedLMFluency (ours: the substitute's masked-LM
 *   log-probability in context at most `maxLogProbDrop`, default 5 nats, below the original's;
 *   threshold measured in experiments/attack/results/fluency_threshold.md). Without a masked LM
 *   in `options.mlm` the fluency check is left out (the attack's constraint list shows it).
 * - POS tags from wink-nlp, not NLTK. InputColumnModification is added only for
 *   ["premise", "hypothesis"] inputs (TextAttack adds it always; it is a no-op otherwise).
 * - Until issue 12 the candidates were the union of PPDB, WordNet (every sense) and 15 neighbours
 *   in the teacher's task-trained embedding table; `candidates: "union"` still builds that
 *   (for before/after comparisons), with the other new constraints.
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
import { MaskedLMFluency, type MaskedWordScorer } from "../constraints/masked_lm_fluency.ts";
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
  /** `neighbours` (default, TextAttack): nearest neighbours; `union`: the pre-issue-12 union. */
  candidates?: "neighbours" | "union";
  /** With `candidates: "union"`, embedding neighbours among them; default 15. */
  embeddingCandidates?: number;
  /** Masked-LM fluency threshold (nats); default `DEFAULT_MAX_LOG_PROB_DROP`. */
  maxLogProbDrop?: number;
}

export function textFoolerJin2019(options: TextFoolerOptions): Attack {
  const embedding = need(
    options.embedding,
    "textfooler",
    "embedding",
    "word-embedding distance and sentence similarity",
  );
  const {
    maxCandidates = 50,
    embeddingCandidates = 15,
    columnLabels = ["text"],
    candidates = "neighbours",
  } = options;
  const transformation = candidates === "union"
    ? new SynonymCandidates([
      new WordSwapPPDB({ path: options.ppdbPath }),
      new WordSwapWordNet({ wordnet: options.wordnet }),
      ...(embeddingCandidates > 0
        ? [new WordSwapEmbedding(embedding, { maxCandidates: embeddingCandidates })]
        : []),
    ], maxCandidates)
    : new WordSwapEmbedding(embedding, { maxCandidates });
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
    new PartOfSpeech({ allowVerbNounSwap: true, verbForm: true }),
    new WindowEmbeddingSimilarity(embedding, {
      threshold: 0.840845057,
      metric: "angular",
      compareAgainstOriginal: false,
      windowSize: 15,
      skipTextShorterThanWindow: true,
    }),
  );
  if (options.mlm?.wordLogProbs) {
    constraints.push(
      new MaskedLMFluency(options.mlm as MaskedWordScorer, {
        maxLogProbDrop: options.maxLogProbDrop,
      }),
    );
  }
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
