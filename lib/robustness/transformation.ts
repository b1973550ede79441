/**
 * Transformation: proposes candidate texts by editing words at given indices (TextAttack's
 * `Transformation`). The attack applies the pre-transformation constraints first and passes
 * only the indices they allow.
 */
import type { AttackedText } from "./attacked_text.ts";
import type { Prng } from "../random/mod.ts";

/** What kind of edits a transformation makes; search methods and constraints check these. */
export type TransformationKind = "word-swap" | "word-deletion" | "word-insertion" | "other";

export interface Transformation {
  readonly name: string;
  /** Kinds of edits (a composite: the union of its parts' kinds). */
  readonly kinds: ReadonlySet<TransformationKind>;
  /** False when candidates depend on a random stream (then the attack does not cache them). */
  readonly deterministic: boolean;
  /** Candidates from editing `text` at `indices` (already filtered by pre-constraints). */
  transform(
    text: AttackedText,
    indices: readonly number[],
  ): Promise<AttackedText[]> | AttackedText[];
  /** Gives a random transformation its stream (the attack calls this once per example). */
  resetRandom?(prng: Prng): void;
}

/** True when every edit the transformation makes is a one-word swap (TextAttack's validator). */
export function consistsOfWordSwaps(t: Transformation): boolean {
  return t.kinds.size > 0 && [...t.kinds].every((k) => k === "word-swap");
}

/** True when every edit is a word swap or a word deletion. */
export function consistsOfWordSwapsAndDeletions(t: Transformation): boolean {
  return t.kinds.size > 0 && [...t.kinds].every((k) => k === "word-swap" || k === "word-deletion");
}
