import type { AttackedText } from "../attacked_text.ts";
import type { PreTransformationConstraint } from "../constraint.ts";

/** A word already modified may not be modified again (TextAttack's `RepeatModification`). */
export class RepeatModification implements PreTransformationConstraint {
  readonly stage = "pre" as const;
  readonly name = "RepeatModification";

  modifiableIndices(text: AttackedText): Set<number> {
    const out = new Set<number>();
    for (let i = 0; i < text.numWords; i++) if (!text.attrs.modifiedIndices.has(i)) out.add(i);
    return out;
  }
}
