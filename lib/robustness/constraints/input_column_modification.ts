import type { AttackedText } from "../attacked_text.ts";
import type { PreTransformationConstraint } from "../constraint.ts";

/**
 * Freezes whole input columns, e.g. the premise of an NLI pair (TextAttack's
 * `InputColumnModification(["premise", "hypothesis"], {"premise"})`). The attack checks at build
 * time that its inputs have exactly `matchingColumnLabels`; a text with other columns is left
 * fully modifiable, as in TextAttack.
 */
export class InputColumnModification implements PreTransformationConstraint {
  readonly stage = "pre" as const;
  readonly name = "InputColumnModification";
  readonly requiredColumns: readonly string[];
  readonly columnsToIgnore: ReadonlySet<string>;

  constructor(matchingColumnLabels: readonly string[], columnsToIgnore: Iterable<string>) {
    const ignore = new Set(columnsToIgnore);
    for (const c of ignore) {
      if (!matchingColumnLabels.includes(c)) {
        throw new RangeError(
          `InputColumnModification: column "${c}" is not one of [${
            matchingColumnLabels.join(", ")
          }]`,
        );
      }
    }
    this.requiredColumns = [...matchingColumnLabels];
    this.columnsToIgnore = ignore;
  }

  modifiableIndices(text: AttackedText): Set<number> {
    const out = new Set<number>();
    const matches = text.columnLabels.length === this.requiredColumns.length &&
      text.columnLabels.every((c, i) => c === this.requiredColumns[i]);
    for (let i = 0; i < text.numWords; i++) {
      if (!matches || !this.columnsToIgnore.has(text.columnLabels[text.wordColumn(i)])) out.add(i);
    }
    return out;
  }
}
