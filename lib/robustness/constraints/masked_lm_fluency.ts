import type { AttackedText } from "../attacked_text.ts";
import { type Constraint, WORD_SWAPS_ONLY } from "../constraint.ts";

/** One word scored in its context: `textWithMask` holds exactly one mask token where it goes. */
export interface WordInContext {
  textWithMask: string;
  word: string;
}

/** What the fluency constraint needs of a masked LM (lib/robustness `ModelMaskedLM` fits). */
export interface MaskedWordScorer {
  readonly maskToken: string;
  /**
   * Per request, log P(word | context): the mask is widened to as many masks as the word has
   * WordPiece pieces and the pieces' log-probabilities at them are summed (natural log).
   */
  wordLogProbs(requests: readonly WordInContext[]): Promise<number[]>;
}

export interface MaskedLMFluencyOptions {
  /**
   * The substitute's log-probability in context may fall at most this far (nats) below the
   * original word's. The recipes' default (`DEFAULT_MAX_LOG_PROB_DROP`) is measured in
   * experiments/attack/results/fluency_threshold.md.
   */
  maxLogProbDrop?: number;
  /** Judge against the original text (default, as TextAttack's language-model constraints). */
  compareAgainstOriginal?: boolean;
}

/**
 * The measured default threshold (nats), experiments/attack/results/fluency_threshold.md:
 * the drop that keeps most held-out PPDB synonym swaps while rejecting most random swaps.
 */
export const DEFAULT_MAX_LOG_PROB_DROP = 5;

/**
 * A fluency / meaning check with the project's masked LM, in the manner of TextAttack's
 * language-model constraints (`GPT2`, `LearningToWriteLanguageModel`: `max_log_prob_diff`):
 * for every newly swapped word, log P(substitute | context) >= log P(original | reference
 * context) - `maxLogProbDrop`, both scored at the word's position with that word masked.
 * Ours: a masked LM (bidirectional context) instead of a left-to-right LM, and a multi-piece
 * word scored as the sum of its pieces at as many masks (all masked at once). It stands in,
 * with the window similarity on counter-fitted vectors, for the Universal Sentence Encoder
 * that TextFooler and TextBugger use and that is not reachable here.
 */
export class MaskedLMFluency implements Constraint {
  readonly stage = "post" as const;
  readonly supportedKinds = WORD_SWAPS_ONLY;
  readonly name: string;
  readonly compareAgainstOriginal: boolean;
  readonly maxLogProbDrop: number;

  constructor(readonly scorer: MaskedWordScorer, options: MaskedLMFluencyOptions = {}) {
    const { maxLogProbDrop = DEFAULT_MAX_LOG_PROB_DROP, compareAgainstOriginal = true } = options;
    if (!(maxLogProbDrop >= 0) || !Number.isFinite(maxLogProbDrop)) {
      throw new RangeError(
        `MaskedLMFluency: maxLogProbDrop must be a finite number >= 0, got ${maxLogProbDrop}`,
      );
    }
    this.maxLogProbDrop = maxLogProbDrop;
    this.compareAgainstOriginal = compareAgainstOriginal;
    this.name = `MaskedLMFluency(max drop ${maxLogProbDrop} nats)`;
  }

  /** The request that scores word `i` of `text` (its own word unless `word` is given). */
  static requestAt(text: AttackedText, i: number, maskToken: string, word?: string): WordInContext {
    const masked = text.replaceWordAt(i, maskToken);
    return { textWithMask: masked.columns[text.wordColumn(i)], word: word ?? text.words[i] };
  }

  /** Per text, the log-probability change of each newly swapped word (substitute - original). */
  async changes(texts: readonly AttackedText[], reference: AttackedText): Promise<number[][]> {
    const mask = this.scorer.maskToken;
    const requests: WordInContext[] = [];
    const at: { t: number; i: number }[] = [];
    texts.forEach((t, ti) => {
      for (const i of t.attrs.newlyModifiedIndices) {
        if (i >= reference.numWords || i >= t.numWords) continue;
        requests.push(MaskedLMFluency.requestAt(reference, i, mask));
        requests.push(MaskedLMFluency.requestAt(t, i, mask));
        at.push({ t: ti, i });
      }
    });
    const scores = requests.length ? await this.scorer.wordLogProbs(requests) : [];
    const out: number[][] = texts.map(() => []);
    at.forEach((a, j) => out[a.t].push(scores[2 * j + 1] - scores[2 * j]));
    return out;
  }

  async checkMany(texts: AttackedText[], reference: AttackedText): Promise<AttackedText[]> {
    const changes = await this.changes(texts, reference);
    return texts.filter((t, i) =>
      [...t.attrs.newlyModifiedIndices].every((w) => w < reference.numWords && w < t.numWords) &&
      changes[i].every((d) => d >= -this.maxLogProbDrop)
    );
  }
}
