/**
 * Uniform crossover (optional in RoSearch's evolution; off by default): each size and the
 * cell count come from either parent, and cell i from either parent that has one. Cells keep
 * their position, so their input references stay valid.
 */
import type { Prng } from "../random/mod.ts";
import { genomeErrors } from "./validate.ts";
import type { Genome, SearchSpaceConfig } from "./types.ts";

/**
 * A valid child of `a` and `b`; redrawn up to `maxTries` (default 100) times, after which a
 * copy of `a` is returned (so the caller always gets a valid genome; it may equal a parent).
 */
export function crossover(
  a: Genome,
  b: Genome,
  space: SearchSpaceConfig,
  prng: Prng,
  options: { maxTries?: number } = {},
): Genome {
  const { maxTries = 100 } = options;
  for (let t = 0; t < maxTries; t++) {
    const from = () => (prng.next() < 0.5 ? a : b);
    const n = from().cells.length;
    const child: Genome = {
      embeddingSize: from().embeddingSize,
      hiddenSize: from().hiddenSize,
      cells: Array.from({ length: n }, (_, i) => {
        const options = [a, b].filter((p) => p.cells.length > i);
        return structuredClone(prng.pick(options).cells[i]);
      }),
    };
    if (genomeErrors(child, space).length === 0) return child;
  }
  return structuredClone(a);
}
