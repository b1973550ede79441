import type { AttackedText } from "../attacked_text.ts";
import type { Prng } from "../../random/mod.ts";
import type { Transformation, TransformationKind } from "../transformation.ts";

/**
 * Union of several transformations' candidates, duplicates removed, first occurrence kept
 * (TextAttack's `CompositeTransformation`).
 */
export class CompositeTransformation implements Transformation {
  readonly name: string;
  readonly kinds: ReadonlySet<TransformationKind>;
  readonly deterministic: boolean;
  readonly parts: readonly Transformation[];

  constructor(parts: readonly Transformation[]) {
    if (parts.length === 0) {
      throw new RangeError("CompositeTransformation needs at least one transformation");
    }
    this.parts = [...parts];
    this.kinds = new Set(parts.flatMap((p) => [...p.kinds]));
    this.deterministic = parts.every((p) => p.deterministic);
    this.name = `CompositeTransformation(${parts.map((p) => p.name).join(", ")})`;
  }

  async transform(text: AttackedText, indices: readonly number[]): Promise<AttackedText[]> {
    const seen = new Set<string>();
    const out: AttackedText[] = [];
    for (const p of this.parts) {
      for (const t of await p.transform(text, indices)) {
        if (seen.has(t.key)) continue;
        seen.add(t.key);
        out.push(t);
      }
    }
    return out;
  }

  resetRandom(prng: Prng): void {
    for (const p of this.parts) p.resetRandom?.(prng.fork());
  }
}
