/**
 * The tokenizer's part of a teacher-output cache key: `vocab-sha256:<sha256 of vocab.txt>` (the
 * tokenizer is always lib/data's BERT WordPiece, uncased; only the vocabulary can differ).
 * Before this module, `deno task kd-baselines` spelled it `bert-wordpiece-uncased:<sha256>`, so
 * one teacher and vocabulary had two cache entries; such old entries are not reused: they are
 * rebuilt once under this id (lib/distill's cache says so when it builds).
 */
import { createHash } from "node:crypto";
import { DEFAULT_VOCAB_PATH } from "./paths.ts";

const memo = new Map<string, string>();

/** The cache-key tokenizer id of a vocabulary file (memoised per path). */
export function tokenizerId(vocabPath: string = DEFAULT_VOCAB_PATH): string {
  let id = memo.get(vocabPath);
  if (id === undefined) {
    const sha = createHash("sha256").update(Deno.readFileSync(vocabPath)).digest("hex");
    id = `vocab-sha256:${sha}`;
    memo.set(vocabPath, id);
  }
  return id;
}

/** Spellings used before the ids were unified (for messages about old cache entries). */
export const LEGACY_TOKENIZER_PREFIXES: readonly string[] = ["bert-wordpiece-uncased:"];
