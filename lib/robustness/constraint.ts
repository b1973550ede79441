/**
 * Constraints (TextAttack's two families):
 * - pre-transformation: which word indices may be edited at all (`modifiableIndices`);
 * - post-transformation: which candidate texts are acceptable (`checkMany`), judged against the
 *   original text (`compareAgainstOriginal`) or against the text they were made from.
 */
import type { AttackedText } from "./attacked_text.ts";
import type { Transformation, TransformationKind } from "./transformation.ts";

export interface PreTransformationConstraint {
  readonly stage: "pre";
  readonly name: string;
  /** The word indices of `text` this constraint allows the transformation to edit. */
  modifiableIndices(text: AttackedText, transformation: Transformation): Set<number>;
  /** Column labels the inputs must have (checked when the attack is built). */
  readonly requiredColumns?: readonly string[];
}

export interface Constraint {
  readonly stage: "post";
  readonly name: string;
  /** Compare with the original text (true) or with the text the candidate came from (false). */
  readonly compareAgainstOriginal: boolean;
  /** Transformation kinds this constraint can judge; building an attack with others fails. */
  readonly supportedKinds?: ReadonlySet<TransformationKind>;
  /** The candidates that satisfy the constraint, in order. */
  checkMany(
    texts: AttackedText[],
    reference: AttackedText,
  ): AttackedText[] | Promise<AttackedText[]>;
}

export type AnyConstraint = PreTransformationConstraint | Constraint;

export const WORD_SWAPS_ONLY: ReadonlySet<TransformationKind> = new Set(["word-swap"]);
