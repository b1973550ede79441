/**
 * Validity audit of adversarial examples: automatic proxies of "the meaning was kept" over the
 * successful attacks of a recipe, and the side-by-side listing that a reader judges by eye.
 *
 * Per swapped word (position by position, texts of equal word count; a success whose word count
 * changed, e.g. TextBugger's inserted space, is counted as `realigned` and its swaps skipped):
 * - masked-LM log-probability change: log P(new word | perturbed text, word masked) minus
 *   log P(old word | original text, word masked), natural log (`MaskedLMFluency`'s measure);
 * - word-vector cosine of the swap in the given vectors (the counter-fitted ones); a word
 *   missing from them is counted, not scored;
 * - part of speech: the tag of the old word in the original text vs the new word in the
 *   perturbed text (universal tags, lib/robustness tagger), and for verbs their inflection
 *   (`verbForm`), since a change of either is a grammar change.
 * No TensorFlow.js here: the masked LM comes in as a `MaskedWordScorer`.
 */
import type { AttackResult } from "./attack_result.ts";
import type { AttackedText } from "./attacked_text.ts";
import { MaskedLMFluency, type MaskedWordScorer } from "./constraints/masked_lm_fluency.ts";
import { tagWordsWithForms } from "./constraints/_pos_tagger.ts";
import { cosine, type WordEmbedding } from "./embedding.ts";

export interface Swap {
  index: number;
  from: string;
  to: string;
  /** log P(to | perturbed) - log P(from | original), nats. */
  logProbChange?: number;
  /** Cosine in the audit's vectors (undefined when either word is missing from them). */
  cosine?: number;
  fromTag: string;
  toTag: string;
}

export interface AuditedExample {
  original: string;
  perturbed: string;
  swaps: Swap[];
  /** The word count changed (swaps not aligned, not scored). */
  realigned: boolean;
}

export interface AuditProxies {
  successes: number;
  swaps: number;
  realigned: number;
  /** Mean masked-LM log-probability change per swap (nats) and its share below -threshold. */
  meanLogProbChange: number;
  shareBelowThreshold: number;
  threshold: number;
  /** Mean word-vector cosine over swaps with both words in the vectors, and that share. */
  meanCosine: number;
  shareInVectors: number;
  /** Share of swaps whose universal part-of-speech tag changed. */
  sharePosChanged: number;
  /** Share of swaps that changed the tag or, for verbs, the inflection. */
  shareGrammarChanged: number;
}

export interface AuditOptions {
  scorer: MaskedWordScorer;
  vectors: WordEmbedding;
  /** Log-probability drop counted as "below threshold" (nats). */
  threshold: number;
}

/** Positions whose words differ (texts of equal word count), or null when not aligned. */
function swapIndices(a: AttackedText, b: AttackedText): number[] | null {
  if (a.numWords !== b.numWords) return null;
  return [...a.allWordsDiff(b)].sort((x, y) => x - y);
}

/** The audit of each successful result (others are ignored), in order. */
export async function auditResults(
  results: readonly AttackResult[],
  options: AuditOptions,
): Promise<AuditedExample[]> {
  const out: AuditedExample[] = [];
  const mask = options.scorer.maskToken;
  for (const r of results) {
    if (r.resultType !== "SUCCEEDED") continue;
    const a = r.original.attackedText, b = r.perturbed.attackedText;
    const idx = swapIndices(a, b);
    const example: AuditedExample = {
      original: a.text,
      perturbed: b.text,
      swaps: [],
      realigned: idx === null,
    };
    if (idx && idx.length) {
      const requests = idx.flatMap((i) => [
        MaskedLMFluency.requestAt(a, i, mask),
        MaskedLMFluency.requestAt(b, i, mask),
      ]);
      const scores = await options.scorer.wordLogProbs(requests);
      const tagsA = tagWordsWithForms(a.words), tagsB = tagWordsWithForms(b.words);
      idx.forEach((i, j) => {
        const va = options.vectors.vector(a.words[i]), vb = options.vectors.vector(b.words[i]);
        example.swaps.push({
          index: i,
          from: a.words[i],
          to: b.words[i],
          logProbChange: scores[2 * j + 1] - scores[2 * j],
          cosine: va && vb ? cosine(va, vb) : undefined,
          fromTag: tagsA[i],
          toTag: tagsB[i],
        });
      });
    }
    out.push(example);
  }
  return out;
}

const mean = (xs: number[]) => xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
const tagOf = (t: string) => t.split(":")[0];

/** The proxies over audited examples. */
export function auditProxies(examples: readonly AuditedExample[], threshold: number): AuditProxies {
  const swaps = examples.flatMap((e) => e.swaps);
  const lp = swaps.map((s) => s.logProbChange!).filter((x) => x !== undefined);
  const cos = swaps.map((s) => s.cosine).filter((x): x is number => x !== undefined);
  return {
    successes: examples.length,
    swaps: swaps.length,
    realigned: examples.filter((e) => e.realigned).length,
    meanLogProbChange: mean(lp),
    shareBelowThreshold: lp.length ? lp.filter((x) => x < -threshold).length / lp.length : NaN,
    threshold,
    meanCosine: mean(cos),
    shareInVectors: swaps.length ? cos.length / swaps.length : NaN,
    sharePosChanged: swaps.length
      ? swaps.filter((s) => tagOf(s.fromTag) !== tagOf(s.toTag)).length / swaps.length
      : NaN,
    shareGrammarChanged: swaps.length
      ? swaps.filter((s) => s.fromTag !== s.toTag).length / swaps.length
      : NaN,
  };
}

/** `original` and `perturbed` with the swapped words in **bold**, for a Markdown table. */
export function markSwaps(e: AuditedExample): { original: string; perturbed: string } {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  if (e.realigned || e.swaps.length === 0) {
    return { original: esc(e.original), perturbed: esc(e.perturbed) };
  }
  const bold = (text: string, words: string[]) => {
    let out = text, from = 0;
    // words appear in order: bold each at its next occurrence as a whole word
    for (const w of words) {
      const re = new RegExp(
        `(^|[^\\p{L}\\p{N}'])(${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})` +
          `(?![\\p{L}\\p{N}])`,
        "gu",
      );
      re.lastIndex = from;
      const m = re.exec(out);
      if (!m) continue;
      const at = m.index + m[1].length;
      out = `${out.slice(0, at)}**${w}**${out.slice(at + w.length)}`;
      from = at + w.length + 4;
    }
    return esc(out);
  };
  return {
    original: bold(e.original, e.swaps.map((s) => s.from)),
    perturbed: bold(e.perturbed, e.swaps.map((s) => s.to)),
  };
}
