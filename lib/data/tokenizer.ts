/**
 * BERT uncased WordPiece (Devlin et al. 2019) over `data/vocab/bert-base-uncased-vocab.txt`,
 * through `@huggingface/tokenizers` 0.2.0 with a tokenizer JSON built in memory to match
 * Hugging Face's `bert-base-uncased` tokenizer.json: BertNormalizer (clean text, handle Chinese
 * chars, lowercase, strip accents), BertPreTokenizer, WordPiece (`##`, max 100 chars per word,
 * `[UNK]`), TemplateProcessing `[CLS] $A [SEP]` / `[CLS] $A [SEP] $B:1 [SEP]:1`.
 *
 * Truncation is ours: tokenizers.js 0.2.0 has none. `longest_first` removes one token at a time
 * from the end of the longer sequence, from B when both are equally long (the rule of Hugging
 * Face's Python `truncate_sequences`; the Rust tokenizer can differ by one token on odd ties).
 *
 * Known differences from the Rust tokenizer, inherited from tokenizers.js 0.2.0: CJK characters
 * outside the Basic Multilingual Plane (surrogate pairs) are not split out individually, and
 * unassigned code points (category Cn) are not dropped by clean-text.
 * Vocabulary: line number - 1 = id; [PAD]=0, [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103.
 */
import { Tokenizer } from "@huggingface/tokenizers";
import { join } from "node:path";
import { decodeText, DEFAULT_DATA_ROOT, splitLines } from "./_files.ts";

export interface BertTokenizerOptions {
  /** vocab.txt path; default `data/vocab/bert-base-uncased-vocab.txt`. */
  vocabPath?: string;
  /** Lower-case and strip accents (default true, as bert-base-uncased). */
  lowercase?: boolean;
}

export interface EncodeOptions {
  /** Longest output including [CLS]/[SEP] (default 128). */
  maxLength?: number;
  /** How to cut to `maxLength` (default "longest_first"); false throws when too long. */
  truncation?: "longest_first" | "only_first" | "only_second" | false;
}

/** One encoded input, not padded. */
export interface Encoding {
  ids: number[];
  tokenTypeIds: number[];
  tokens: string[];
}

export interface SpecialIds {
  pad: number;
  unk: number;
  cls: number;
  sep: number;
  mask: number;
}

export interface BertTokenizer {
  readonly vocabSize: number;
  readonly specialIds: Readonly<SpecialIds>;
  /** `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]` with token types 0 / 1. */
  encode(text: string, textB?: string, options?: EncodeOptions): Encoding;
  /** The WordPiece pieces of `text` (no special tokens). */
  tokenizeWords(text: string): string[];
  /** Ids of the WordPiece pieces of `text` (no special tokens). */
  tokenizeIds(text: string): number[];
  /** The token of an id; RangeError outside [0, vocabSize). */
  idToToken(id: number): string;
  /** The id of a token, or undefined if it is not in the vocabulary. */
  tokenToId(token: string): number | undefined;
  /**
   * Tokens joined back, `##` pieces glued (special tokens dropped if `skipSpecial`, default true).
   */
  decode(ids: readonly number[], options?: { skipSpecial?: boolean }): string;
}

const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;
const cache = new Map<string, Promise<BertTokenizer>>();

/** Builds (once per vocab path and casing) a BERT WordPiece tokenizer. */
export function createBertTokenizer(options: BertTokenizerOptions = {}): Promise<BertTokenizer> {
  const vocabPath = options.vocabPath ??
    join(DEFAULT_DATA_ROOT, "vocab", "bert-base-uncased-vocab.txt");
  const lowercase = options.lowercase ?? true;
  const key = `${lowercase}\u0000${vocabPath}`;
  let p = cache.get(key);
  if (!p) {
    p = build(vocabPath, lowercase);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Reads vocab.txt (one token a line, line number - 1 = id). */
export async function readVocab(vocabPath: string): Promise<string[]> {
  const bytes = await Deno.readFile(vocabPath);
  const lines = splitLines(decodeText(bytes, "utf-8", vocabPath));
  if (lines.length === 0) {
    throw new SyntaxError(`Cannot load ${vocabPath}: the file is empty; expected one token a line`);
  }
  const seen = new Map<string, number>();
  const vocab: string[] = [];
  for (const { text, line } of lines) {
    if (text.length === 0) {
      throw new SyntaxError(`Cannot load ${vocabPath}: line ${line} is empty, expected one token`);
    }
    if (seen.has(text)) {
      throw new SyntaxError(
        `Cannot load ${vocabPath}: line ${line} repeats token ${JSON.stringify(text)} of line ${
          seen.get(text)! + 1
        }`,
      );
    }
    seen.set(text, vocab.length);
    vocab.push(text);
  }
  return vocab;
}

/** The tokenizer JSON of HF `bert-base-uncased`, with `vocab` from vocab.txt. */
export function bertTokenizerJson(
  vocab: readonly string[],
  lowercase: boolean,
  ids: SpecialIds,
): Record<string, unknown> {
  const special = (content: string, id: number) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((t) => special(t, vocab.indexOf(t))),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null, // null: follows `lowercase`, as in HF
      lowercase,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [ids.cls], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [ids.sep], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      // fromEntries: a token such as "__proto__" stays an own key
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/** Cuts id lists in place to fit `budget` tokens (special tokens excluded). */
export function truncatePair(
  a: string[],
  b: string[] | null,
  budget: number,
  strategy: NonNullable<EncodeOptions["truncation"]> | false,
): void {
  const total = () => a.length + (b?.length ?? 0);
  if (total() <= budget) return;
  if (strategy === false) {
    throw new RangeError(
      `Input has ${total()} tokens, more than the ${budget} that fit and truncation is off`,
    );
  }
  if (b === null || strategy === "only_first") {
    const keep = budget - (b?.length ?? 0);
    if (keep < 0) {
      throw new RangeError(
        `Sequence B alone has ${b!.length} tokens, more than the budget ${budget} (only_first)`,
      );
    }
    a.length = keep;
    return;
  }
  if (strategy === "only_second") {
    const keep = budget - a.length;
    if (keep < 0) {
      throw new RangeError(
        `Sequence A alone has ${a.length} tokens, more than the budget ${budget} (only_second)`,
      );
    }
    b.length = keep;
    return;
  }
  // longest_first, one token at a time (ties: from B), done arithmetically
  let la = a.length;
  let lb = b.length;
  let remove = la + lb - budget;
  // first bring the longer down to the shorter
  const d = Math.min(Math.abs(la - lb), remove);
  if (la > lb) la -= d;
  else lb -= d;
  remove -= d;
  // then alternate: B first on a tie, then A
  lb -= Math.ceil(remove / 2);
  la -= Math.floor(remove / 2);
  a.length = la;
  b.length = lb;
}

async function build(vocabPath: string, lowercase: boolean): Promise<BertTokenizer> {
  const vocab = await readVocab(vocabPath);
  const toId = new Map<string, number>();
  vocab.forEach((t, i) => toId.set(t, i));
  const need = (t: string): number => {
    const id = toId.get(t);
    if (id === undefined) {
      throw new SyntaxError(`Cannot use ${vocabPath} as a BERT vocabulary: token ${t} is missing`);
    }
    return id;
  };
  const specialIds: SpecialIds = {
    pad: need("[PAD]"),
    unk: need("[UNK]"),
    cls: need("[CLS]"),
    sep: need("[SEP]"),
    mask: need("[MASK]"),
  };
  const hf = new Tokenizer(bertTokenizerJson(vocab, lowercase, specialIds), {});
  const specialSet = new Set<number>(Object.values(specialIds));
  const idsOf = (tokens: readonly string[]) => tokens.map((t) => toId.get(t) ?? specialIds.unk);
  // Fast path (same output, about 2x faster on SST-2): normalise and pre-tokenise with the
  // library's own parts, then WordPiece each word through a cache. Text that could hold a
  // literal special token ("[") goes through the library's full pipeline, which splits those out.
  const normalize = hf.normalizer!;
  const preTokenize = hf.pre_tokenizer!;
  const model = hf.model!;
  const pieces = new Map<string, string[]>();
  const tokenizeWords = (text: string): string[] => {
    if (text.includes("[")) return hf.tokenize(text);
    const out: string[] = [];
    for (const word of preTokenize(normalize(text))) {
      let p = pieces.get(word);
      if (p === undefined) {
        p = model([word]);
        if (pieces.size < 500_000) pieces.set(word, p);
      }
      for (const t of p) out.push(t);
    }
    return out;
  };

  return {
    vocabSize: vocab.length,
    specialIds,
    tokenizeWords,
    tokenizeIds: (text) => idsOf(tokenizeWords(text)),
    encode(text, textB, options = {}) {
      const maxLength = options.maxLength ?? 128;
      const pair = textB !== undefined;
      const nSpecial = pair ? 3 : 2;
      if (!Number.isInteger(maxLength) || maxLength < nSpecial) {
        throw new RangeError(
          `maxLength must be an integer >= ${nSpecial} (room for [CLS]/[SEP]), got ${maxLength}`,
        );
      }
      const a = tokenizeWords(text);
      const b = pair ? tokenizeWords(textB) : null;
      truncatePair(a, b, maxLength - nSpecial, options.truncation ?? "longest_first");
      const tokens = ["[CLS]", ...a, "[SEP]"];
      const tokenTypeIds = new Array<number>(tokens.length).fill(0);
      if (b !== null) {
        tokens.push(...b, "[SEP]");
        for (let i = 0; i <= b.length; i++) tokenTypeIds.push(1);
      }
      return { ids: idsOf(tokens), tokenTypeIds, tokens };
    },
    idToToken(id) {
      if (!Number.isInteger(id) || id < 0 || id >= vocab.length) {
        throw new RangeError(`Token id must be an integer in [0, ${vocab.length}), got ${id}`);
      }
      return vocab[id];
    },
    tokenToId: (t) => toId.get(t),
    decode(ids, options = {}) {
      const skip = options.skipSpecial ?? true;
      const words: string[] = [];
      for (const id of ids) {
        if (skip && specialSet.has(id)) continue;
        const t = vocab[id] ?? "[UNK]";
        if (t.startsWith("##") && words.length > 0) words[words.length - 1] += t.slice(2);
        else words.push(t);
      }
      return words.join(" ");
    },
  };
}
