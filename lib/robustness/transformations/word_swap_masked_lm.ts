/**
 * Masked-LM word swaps, BAE-R style (Garg & Ramakrishnan 2020; TextAttack's
 * `WordSwapMaskedLM(method="bae")`): the word is replaced by the mask token and the masked LM's
 * top-k predictions for that position become the candidates, keeping only whole words (no
 * `##` pieces, no punctuation) with probability >= `minConfidence`.
 *
 * The MLM sits behind the `MaskedLM` interface (a later wrapper implements it with the
 * project's own masked LM). For sentence pairs the MLM sees only the column holding the word.
 * Not implemented: BERT-Attack's sub-word combination (`method="bert-attack"`).
 */
import type { AttackedText } from "../attacked_text.ts";
import { wordsFromText } from "../attacked_text.ts";
import type { Transformation, TransformationKind } from "../transformation.ts";
import { recoverWordCase } from "./word_swap.ts";

export interface MaskPrediction {
  token: string;
  /** Probability of the token at the mask. */
  prob: number;
}

export interface MaskedLM {
  /** The mask token the model expects, e.g. "[MASK]". */
  readonly maskToken: string;
  /** For each text (exactly one mask token in each), the `k` most likely tokens, best first. */
  topK(textsWithMask: readonly string[], k: number): Promise<MaskPrediction[][]>;
}

export interface WordSwapMaskedLMOptions {
  /** Candidates per word; default 50. */
  maxCandidates?: number;
  /** Minimum probability; default 5e-4 (TextAttack's default; the bae recipe uses 0). */
  minConfidence?: number;
}

export class WordSwapMaskedLM implements Transformation {
  readonly name = "WordSwapMaskedLM";
  readonly kinds: ReadonlySet<TransformationKind> = new Set(["word-swap"]);
  readonly deterministic = true;
  readonly mlm: MaskedLM;
  readonly maxCandidates: number;
  readonly minConfidence: number;

  constructor(mlm: MaskedLM, options: WordSwapMaskedLMOptions = {}) {
    const { maxCandidates = 50, minConfidence = 5e-4 } = options;
    if (!Number.isInteger(maxCandidates) || maxCandidates < 1) {
      throw new RangeError(
        `WordSwapMaskedLM: maxCandidates must be a positive integer, got ${maxCandidates}`,
      );
    }
    this.mlm = mlm;
    this.maxCandidates = maxCandidates;
    this.minConfidence = minConfidence;
  }

  async transform(text: AttackedText, indices: readonly number[]): Promise<AttackedText[]> {
    if (indices.length === 0) return [];
    const masked = indices.map((i) => {
      const m = text.replaceWordAt(i, this.mlm.maskToken);
      return m.columns[text.wordColumn(i)];
    });
    const predictions = await this.mlm.topK(masked, this.maxCandidates);
    if (predictions.length !== indices.length) {
      throw new RangeError(
        `MaskedLM.topK returned ${predictions.length} lists for ${indices.length} texts`,
      );
    }
    const out: AttackedText[] = [];
    indices.forEach((i, k) => {
      const word = text.words[i];
      const seen = new Set<string>();
      for (const { token, prob } of predictions[k]) {
        if (prob < this.minConfidence || token.startsWith("##")) continue;
        const ws = wordsFromText(token);
        if (ws.length !== 1 || ws[0] !== token) continue;
        const cand = recoverWordCase(token, word);
        if (cand.toLowerCase() === word.toLowerCase() || seen.has(cand)) continue;
        seen.add(cand);
        const t = text.replaceWordAt(i, cand);
        t.attrs.lastTransformation = this.name;
        out.push(t);
      }
    });
    return out;
  }
}
