/** Paired binary outcomes (correct / wrong per example) as 0/1 arrays, checked. */
import type { BinaryOutcomes } from "./types.ts";

/** Both arrays as 0/1 numbers; a RangeError when the lengths differ or a value is not binary. */
export function pairedBinary(
  where: string,
  a: BinaryOutcomes,
  b: BinaryOutcomes,
): [number[], number[]] {
  if (a.length !== b.length) {
    throw new RangeError(
      `${where}: the outcome arrays must pair up (same examples), got lengths ${a.length} and ` +
        `${b.length}`,
    );
  }
  return [toBits(where, "a", a), toBits(where, "b", b)];
}

function toBits(where: string, name: string, xs: BinaryOutcomes): number[] {
  return xs.map((x, i) => {
    if (x === true || x === 1) return 1;
    if (x === false || x === 0) return 0;
    throw new RangeError(
      `${where}: ${name}[${i}] is ${String(x)}; outcomes must be booleans or 0/1`,
    );
  });
}
