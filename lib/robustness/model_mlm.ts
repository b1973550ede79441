/**
 * The project's BERT masked LM (lib/models `BertModel` with the MLM head) as the `MaskedLM`
 * that `WordSwapMaskedLM` (BAE) queries. Like `model_victim.ts` this file imports TensorFlow.js
 * and is exported from `./model_mlm.ts`, not from `mod.ts`, so the rest of lib/robustness loads
 * without tfjs.
 *
 * Per call: every text (exactly one mask token each) is split at the mask and both halves are
 * WordPiece-tokenised (`tokenizeIds`), giving `[CLS] left [MASK] right [SEP]`; too-long inputs
 * keep a window around the mask. Rows are sorted by length and batched (padded to the batch's
 * longest row), the encoder runs once per batch and the vocabulary projection only at the mask
 * rows (`mlmLogitsAt`). Inside one `tf.tidy`: softmax over the whole vocabulary (so `prob` is
 * the model's probability of the token), non-candidate tokens zeroed, `tf.topk`; one read-back
 * per batch. Candidates (default): whole words only, i.e. no `##` pieces, no `[SPECIAL]` /
 * `[unusedN]` tokens, and at least one letter (as `MatrixEmbedding`'s default). Answers are
 * cached (LRU keyed by k and text).
 *
 * Deviation from BAE/TextAttack: the masked LM is the project's small teacher MLM
 * (data/teachers/<name>/mlm), not bert-base-uncased.
 */
import * as tf from "@tensorflow/tfjs";
import { collate, type EncodedBatch } from "../data/mod.ts";
import { Lru } from "./_lru.ts";
import type { MaskedLM, MaskPrediction } from "./transformations/word_swap_masked_lm.ts";
import type { MaskedWordScorer, WordInContext } from "./constraints/masked_lm_fluency.ts";

/** What the wrapper needs of a masked LM (lib/models `BertModel` built with the MLM head fits). */
export interface MlmLogitsModel {
  /** Logits at flat positions (`row * seqLen + col`): [positions, vocab]. */
  mlmLogitsAt(batch: EncodedBatch, positions: ArrayLike<number>): tf.Tensor2D;
}

/** What the wrapper needs of the tokenizer (lib/data's `BertTokenizer` fits). */
export interface MlmTokenizer {
  readonly vocabSize: number;
  readonly specialIds: Readonly<{ pad: number; cls: number; sep: number; mask: number }>;
  /** WordPiece ids of a text, no special tokens. */
  tokenizeIds(text: string): number[];
  idToToken(id: number): string;
}

export interface ModelMaskedLMOptions {
  /** Texts per forward pass; default 32. */
  batchSize?: number;
  /**
   * Tokens per input including [CLS]/[SEP]; default 128.
   * Longer inputs keep a window around the mask.
   */
  maxLength?: number;
  /** The mask token as it appears in the texts; default "[MASK]". */
  maskToken?: string;
  /** Which vocabulary tokens may be returned; default whole words (see the file comment). */
  isCandidate?: (token: string) => boolean;
  /** Cached answers (one per text and k); default 20000. */
  cacheSize?: number;
}

export interface ModelMaskedLM extends MaskedLM, MaskedWordScorer {
  /** Masked positions actually computed (cache misses). */
  readonly queries: number;
  /** Answers served from the cache. */
  readonly cacheHits: number;
  clearCache(): void;
  /** Frees the wrapper's one long-lived tensor (the candidate mask); the model is not touched. */
  dispose(): void;
}

const wholeWord = (t: string) => !t.startsWith("##") && !/^\[.*\]$/.test(t) && /\p{L}/u.test(t);

/** Wraps a BERT masked LM as a `MaskedLM` (top-k whole-word tokens at the mask, best first). */
export function createModelMaskedLM(
  model: MlmLogitsModel,
  tokenizer: MlmTokenizer,
  options: ModelMaskedLMOptions = {},
): ModelMaskedLM {
  const {
    batchSize = 32,
    maxLength = 128,
    maskToken = "[MASK]",
    isCandidate = wholeWord,
    cacheSize = 20000,
  } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `createModelMaskedLM: batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  if (!Number.isInteger(maxLength) || maxLength < 3) {
    throw new RangeError(
      `createModelMaskedLM: maxLength must be an integer >= 3, got ${maxLength}`,
    );
  }
  if (maskToken === "") throw new RangeError("createModelMaskedLM: maskToken must not be empty");
  const { pad, cls, sep, mask } = tokenizer.specialIds;
  const cache = new Lru<string, MaskPrediction[]>(cacheSize);
  let queries = 0, cacheHits = 0;
  // [vocab] 1 for candidate tokens, 0 otherwise; built for the model's logits width on first use.
  let allowed: tf.Tensor1D | null = null;
  let allowedCount = 0;
  const allowedFor = (vocab: number): tf.Tensor1D => {
    if (allowed && allowed.shape[0] === vocab) return allowed;
    allowed?.dispose();
    const m = new Float32Array(vocab);
    for (let id = 0; id < Math.min(vocab, tokenizer.vocabSize); id++) {
      if (isCandidate(tokenizer.idToToken(id))) m[id] = 1;
    }
    allowedCount = m.reduce((a, b) => a + b, 0);
    allowed = tf.keep(tf.tensor1d(m));
    return allowed;
  };

  /** `[CLS] left [MASK]*pieces right [SEP]` and the first mask's column. */
  const encode = (text: string, where: string, pieces = 1): { ids: number[]; maskAt: number } => {
    const at = text.indexOf(maskToken);
    if (at < 0 || text.indexOf(maskToken, at + maskToken.length) >= 0) {
      throw new RangeError(
        `${where}: needs exactly one ${maskToken} in each text, got ${JSON.stringify(text)}`,
      );
    }
    let left = tokenizer.tokenizeIds(text.slice(0, at));
    let right = tokenizer.tokenizeIds(text.slice(at + maskToken.length));
    const room = maxLength - 2 - pieces;
    if (room < 0) {
      throw new RangeError(`${where}: a word of ${pieces} pieces does not fit in ${maxLength}`);
    }
    if (left.length + right.length > room) {
      const keepRight = Math.min(right.length, Math.max(room - left.length, room >> 1));
      right = right.slice(0, keepRight);
      left = left.slice(left.length - (room - keepRight));
    }
    const masks = new Array<number>(pieces).fill(mask);
    return { ids: [cls, ...left, ...masks, ...right, sep], maskAt: left.length + 1 };
  };

  /** Top-k for texts already encoded, one forward pass. */
  const runBatch = (rows: { ids: number[]; maskAt: number }[], k: number): MaskPrediction[][] => {
    const n = rows.length;
    const batch = collate(rows, rows.map((_, i) => i), null, { padId: pad });
    const positions = Int32Array.from(rows, (r, i) => i * batch.seqLen + r.maskAt);
    const [values, indices] = tf.tidy(() => {
      const logits = model.mlmLogitsAt(batch, positions); // [n, vocab]
      if (logits.shape.length !== 2 || logits.shape[0] !== n) {
        throw new RangeError(
          `createModelMaskedLM: mlmLogitsAt returned shape [${logits.shape}] for ${n} positions`,
        );
      }
      const vocab = logits.shape[1];
      const probs = tf.mul(tf.softmax(logits), allowedFor(vocab)); // [n, vocab]
      const top = tf.topk(probs, Math.min(k, vocab)); // [n, k] each
      return [top.values, top.indices];
    });
    try {
      const v = values.dataSync(), ix = indices.dataSync();
      const kk = values.shape[1]!;
      const take = Math.min(kk, allowedCount);
      return rows.map((_, r) => {
        const out: MaskPrediction[] = [];
        for (let j = 0; j < take; j++) {
          out.push({ token: tokenizer.idToToken(ix[r * kk + j]), prob: v[r * kk + j] });
        }
        return out;
      });
    } finally {
      tf.dispose([values, indices]);
    }
  };

  /**
   * One forward pass over rows of `pieces` masks each (from `maskAt`): log-softmax over the
   * whole vocabulary at the masks, gathered at each of the row's words' piece ids, summed per
   * word. Returns, per row, one score per word.
   */
  const scoreBatch = (
    rows: { ids: number[]; maskAt: number; words: number[][] }[],
  ): number[][] => {
    const batch = collate(rows, rows.map((_, i) => i), null, { padId: pad });
    const positions: number[] = [], gather: number[] = [];
    rows.forEach((r, i) => {
      const first = positions.length;
      for (let j = 0; j < r.words[0].length; j++) positions.push(i * batch.seqLen + r.maskAt + j);
      for (const pieceIds of r.words) pieceIds.forEach((id, j) => gather.push(first + j, id));
    });
    const picked = tf.tidy(() => {
      const logp = tf.logSoftmax(model.mlmLogitsAt(batch, Int32Array.from(positions)));
      return tf.gatherND(logp, tf.tensor2d(gather, [gather.length / 2, 2], "int32"));
    });
    try {
      const v = picked.dataSync();
      let at = 0;
      return rows.map((r) =>
        r.words.map((pieceIds) => {
          let sum = 0;
          for (let j = 0; j < pieceIds.length; j++) sum += v[at++];
          return sum;
        })
      );
    } finally {
      picked.dispose();
    }
  };
  const scoreCache = new Lru<string, number>(cacheSize);

  return {
    maskToken,
    // deno-lint-ignore require-await
    async wordLogProbs(requests: readonly WordInContext[]): Promise<number[]> {
      const keys = requests.map((r) => `${r.word}\u0000${r.textWithMask}`);
      const out = keys.map((k) => scoreCache.get(k));
      // one row per (context, piece count): the words of a row share its logits
      const rows = new Map<
        string,
        { ids: number[]; maskAt: number; words: number[][]; keys: string[] }
      >();
      const seen = new Set<string>();
      requests.forEach((r, i) => {
        if (out[i] !== undefined) return void cacheHits++;
        if (seen.has(keys[i])) return;
        seen.add(keys[i]);
        const pieceIds = tokenizer.tokenizeIds(r.word);
        if (pieceIds.length === 0) {
          throw new RangeError(
            `MaskedLM.wordLogProbs: request ${i}: ${JSON.stringify(r.word)} has no WordPiece`,
          );
        }
        const rowKey = `${pieceIds.length}\u0000${r.textWithMask}`;
        let row = rows.get(rowKey);
        if (!row) {
          const e = encode(r.textWithMask, `MaskedLM.wordLogProbs text ${i}`, pieceIds.length);
          rows.set(rowKey, row = { ...e, words: [], keys: [] });
        }
        row.words.push(pieceIds);
        row.keys.push(keys[i]);
      });
      const todo = [...rows.values()].sort((a, b) => a.ids.length - b.ids.length);
      for (let b = 0; b < todo.length; b += batchSize) {
        const batchRows = todo.slice(b, b + batchSize);
        const scores = scoreBatch(batchRows);
        queries += batchRows.length;
        batchRows.forEach((r, j) => r.keys.forEach((k, w) => scoreCache.set(k, scores[j][w])));
      }
      return keys.map((k, i) => out[i] ?? scoreCache.get(k)!);
    },
    get queries() {
      return queries;
    },
    get cacheHits() {
      return cacheHits;
    },
    clearCache() {
      cache.clear();
      scoreCache.clear();
    },
    dispose() {
      allowed?.dispose();
      allowed = null;
    },
    // deno-lint-ignore require-await
    async topK(textsWithMask: readonly string[], k: number): Promise<MaskPrediction[][]> {
      if (!Number.isInteger(k) || k < 1) {
        throw new RangeError(`MaskedLM.topK: k must be a positive integer, got ${k}`);
      }
      const keys = textsWithMask.map((t) => `${k}\u0000${t}`);
      const out: (MaskPrediction[] | undefined)[] = keys.map((key) => cache.get(key));
      const todo: number[] = [];
      const firstOf = new Map<string, number>();
      out.forEach((o, i) => {
        if (o) cacheHits++;
        else if (!firstOf.has(keys[i])) (firstOf.set(keys[i], i), todo.push(i));
      });
      const enc = new Map(
        todo.map((i) => [i, encode(textsWithMask[i], `MaskedLM.topK text ${i}`)]),
      );
      todo.sort((a, b) => enc.get(a)!.ids.length - enc.get(b)!.ids.length);
      for (let b = 0; b < todo.length; b += batchSize) {
        const idx = todo.slice(b, b + batchSize);
        const preds = runBatch(idx.map((i) => enc.get(i)!), k);
        queries += idx.length;
        idx.forEach((i, j) => {
          out[i] = preds[j];
          cache.set(keys[i], preds[j]);
        });
      }
      return keys.map((key, i) => out[i] ?? out[firstOf.get(key)!]!);
    },
  };
}
