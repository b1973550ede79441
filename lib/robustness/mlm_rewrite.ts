/**
 * Masked-LM rewriting of whole sentences: contextual augmentation (Kobayashi 2018; CBERT, Wu et
 * al. 2019), the second baseline of L2A (issue 18) and the rewriting step of its generator.
 * Each rewrite of a sentence picks `n = max(1, round(rate x words))` of its words that contain a
 * letter (seeded by (seed, text, copy)) and replaces them one after another, left to right: the
 * sentence as rewritten so far, with [MASK] at the word, goes to the masked LM, and the new word
 * is sampled from its top `k` whole-word predictions in proportion to their probabilities, the
 * original word excluded (if nothing is left the word stays). Every text of a batch is rewritten
 * in step: the j-th word of every rewrite is one `topK` call (the masked LM batches it).
 * Ours, where CBERT differs: no label conditioning (CBERT feeds the label through BERT's segment
 * embeddings, which needs a label-conditional fine-tune of the masked LM); the label of the
 * rewrite is copied from its sentence and the teacher's soft targets are what the student learns
 * from. The masked LM is the project's (data/teachers/.../mlm, through `loadMaskedLM`).
 */
import { Prng } from "../random/mod.ts";
import { textSeed } from "./_text_seed.ts";
import type { MaskedLM } from "./transformations/word_swap_masked_lm.ts";

export interface MlmRewriteOptions {
  mlm: MaskedLM;
  /** Share of a sentence's words rewritten (at least one). Default 0.15. */
  rate?: number;
  /** Predictions sampled from. Default 10. */
  k?: number;
  /** Rewrites per sentence. Default 1. */
  perSentence?: number;
  seed: number;
}

export type Rewritten<E> = E & {
  /** Words actually replaced. */
  changed: number;
};

const hasLetter = /[a-z]/i;

/** `perSentence` rewrites of every example, in input order (rewrites of one example together). */
export async function mlmRewrite<E extends { text: string }>(
  examples: readonly E[],
  options: MlmRewriteOptions,
): Promise<Rewritten<E>[]> {
  const { mlm, rate = 0.15, k = 10, perSentence = 1, seed } = options;
  if (!(rate > 0 && rate <= 1)) {
    throw new RangeError(`mlmRewrite: rate must be in (0, 1], got ${rate}`);
  }
  for (const [name, v] of [["k", k], ["perSentence", perSentence]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`mlmRewrite: ${name} must be an integer >= 1, got ${v}`);
    }
  }
  interface Job {
    example: E;
    words: string[];
    positions: number[];
    prng: Prng;
    changed: number;
  }
  const jobs: Job[] = [];
  for (const example of examples) {
    for (let copy = 0; copy < perSentence; copy++) {
      const words = example.text.split(/\s+/).filter(Boolean);
      const prng = Prng.fromSeed(textSeed(seed + 7919 * copy, example.text));
      const eligible = words.map((w, i) => [w, i] as const).filter(([w]) => hasLetter.test(w))
        .map(([, i]) => i);
      const n = eligible.length ? Math.max(1, Math.round(rate * eligible.length)) : 0;
      const positions = prng.shuffle([...eligible]).slice(0, n).sort((a, b) => a - b);
      jobs.push({ example, words, positions, prng, changed: 0 });
    }
  }
  const steps = Math.max(0, ...jobs.map((j) => j.positions.length));
  for (let step = 0; step < steps; step++) {
    const active = jobs.filter((j) => step < j.positions.length);
    const texts = active.map((j) => {
      const w = [...j.words];
      w[j.positions[step]] = mlm.maskToken;
      return w.join(" ");
    });
    const predictions = await mlm.topK(texts, k + 1);
    active.forEach((j, r) => {
      const at = j.positions[step], original = j.words[at].toLowerCase();
      const options = predictions[r].filter((p) => p.token.toLowerCase() !== original)
        .slice(0, k).filter((p) => p.prob > 0);
      if (options.length === 0) return;
      const total = options.reduce((a, p) => a + p.prob, 0);
      let u = j.prng.next() * total, pick = options[options.length - 1].token;
      for (const p of options) {
        u -= p.prob;
        if (u <= 0) {
          pick = p.token;
          break;
        }
      }
      j.words[at] = pick;
      j.changed++;
    });
  }
  return jobs.map((j) => ({ ...j.example, text: j.words.join(" "), changed: j.changed }));
}
