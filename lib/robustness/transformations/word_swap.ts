/**
 * Base of the word-swap transformations (TextAttack's `WordSwap`): each allowed index is
 * replaced by each of the word's replacement candidates (never the word itself).
 */
import type { AttackedText } from "../attacked_text.ts";
import type { Transformation, TransformationKind } from "../transformation.ts";

const SWAP: ReadonlySet<TransformationKind> = new Set(["word-swap"]);

export abstract class WordSwap implements Transformation {
  abstract readonly name: string;
  readonly kinds: ReadonlySet<TransformationKind> = SWAP;
  readonly deterministic: boolean = true;

  /** Candidate replacements of one word (TextAttack's `_get_replacement_words`). */
  abstract replacementWords(word: string): string[] | Promise<string[]>;

  async transform(text: AttackedText, indices: readonly number[]): Promise<AttackedText[]> {
    const out: AttackedText[] = [];
    for (const i of indices) {
      const word = text.words[i];
      for (const r of await this.replacementWords(word)) {
        if (r === word || r.length === 0) continue;
        const t = text.replaceWordAt(i, r);
        t.attrs.lastTransformation = this.name;
        out.push(t);
      }
    }
    return out;
  }
}

/**
 * Gives `candidate` the capitalisation pattern of `original`
 * (TextAttack's `recover_word_case`).
 */
export function recoverWordCase(candidate: string, original: string): string {
  if (original === original.toLowerCase()) return candidate.toLowerCase();
  if (original === original.toUpperCase() && original.length > 1) return candidate.toUpperCase();
  if (
    original[0] === original[0].toUpperCase() &&
    original.slice(1) === original.slice(1).toLowerCase()
  ) {
    return candidate[0].toUpperCase() + candidate.slice(1).toLowerCase();
  }
  return candidate;
}
