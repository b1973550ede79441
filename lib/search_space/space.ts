/**
 * Search-space configuration and its defaults (ours; RoSearch's exact space is unknown,
 * METHODS.md).
 *
 * Default sizes: embedding {32, 48, 64, 96, 128}, hidden {64, 128, 192, 256}, 2..6 cells of
 * 3..4 nodes, every op, two cell inputs, up to two inputs per node. With a teacher of
 * 4 layers x hidden 256 (4 heads, FF 1024, 512 positions) random students span compression ratios
 * of 0.8x-19x (median 4.5x) for a pruned 8k vocabulary and 1.3x-11x (median 3.7x) for the full
 * 30,522-token vocabulary, about 65% of them inside [3, 10] (measured; the embedding
 * table dominates with the full vocabulary, hence embedding sizes 32 and 48);
 * `createSearchSpace` with a `teacherParams` keeps sampled students inside
 * [minRatio, maxRatio] = [3, 10] by default.
 */
import { OP_NAMES } from "./ops.ts";
import type { SearchSpaceConfig, SizeContext } from "./types.ts";

export const DEFAULT_SIZE_CONTEXT: Readonly<SizeContext> = {
  vocabSize: 30522,
  maxPositions: 128,
  numLabels: 2,
  typeVocabSize: 2,
};

/** The default space, without compression bounds. */
export const DEFAULT_SEARCH_SPACE: Readonly<SearchSpaceConfig> = {
  embeddingSizes: [32, 48, 64, 96, 128],
  hiddenSizes: [64, 128, 192, 256],
  minCells: 2,
  maxCells: 6,
  minNodes: 3,
  maxNodes: 4,
  cellInputs: 2,
  maxNodeInputs: 2,
  ops: [...OP_NAMES],
  sizeContext: { ...DEFAULT_SIZE_CONTEXT },
};

export interface CreateSpaceOptions extends Partial<Omit<SearchSpaceConfig, "compression">> {
  /** Teacher parameter count; when given, students must compress it by [minRatio, maxRatio]. */
  teacherParams?: number;
  /** Default 3. */
  minRatio?: number;
  /** Default 10. */
  maxRatio?: number;
}

/** The default space with overrides and, if `teacherParams` is given, compression bounds. */
export function createSearchSpace(options: CreateSpaceOptions = {}): SearchSpaceConfig {
  const { teacherParams, minRatio = 3, maxRatio = 10, ...rest } = options;
  const space: SearchSpaceConfig = {
    ...structuredClone(DEFAULT_SEARCH_SPACE) as SearchSpaceConfig,
    ...structuredClone(rest),
  };
  if (teacherParams !== undefined) {
    if (!(teacherParams > 0)) {
      throw new RangeError(`teacherParams must be > 0, got ${teacherParams}`);
    }
    if (!(minRatio > 0 && maxRatio >= minRatio)) {
      throw new RangeError(`need 0 < minRatio <= maxRatio, got ${minRatio}, ${maxRatio}`);
    }
    space.compression = { teacherParams, minRatio, maxRatio };
  }
  checkSpace(space);
  return space;
}

/** Throws when a space is inconsistent (empty lists, bad ranges, unknown ops). */
export function checkSpace(space: SearchSpaceConfig): void {
  const bad = (what: string) => {
    throw new RangeError(`Invalid search space: ${what}`);
  };
  if (space.embeddingSizes.length === 0) bad("embeddingSizes is empty");
  if (space.hiddenSizes.length === 0) bad("hiddenSizes is empty");
  for (const s of [...space.embeddingSizes, ...space.hiddenSizes]) {
    if (!Number.isInteger(s) || s <= 0) bad(`sizes must be positive integers, got ${s}`);
  }
  if (!(1 <= space.minCells && space.minCells <= space.maxCells)) {
    bad(`need 1 <= minCells <= maxCells, got ${space.minCells}..${space.maxCells}`);
  }
  if (!(1 <= space.minNodes && space.minNodes <= space.maxNodes)) {
    bad(`need 1 <= minNodes <= maxNodes, got ${space.minNodes}..${space.maxNodes}`);
  }
  if (space.cellInputs !== 1 && space.cellInputs !== 2) bad(`cellInputs must be 1 or 2`);
  if (space.maxNodeInputs !== 1 && space.maxNodeInputs !== 2) bad(`maxNodeInputs must be 1 or 2`);
  const unknown = space.ops.filter((o) => !(OP_NAMES as readonly string[]).includes(o));
  if (unknown.length > 0) bad(`unknown ops ${unknown.join(", ")}; allowed: ${OP_NAMES.join(", ")}`);
  if (!space.ops.some((o) => o !== "zero")) bad("ops must include a non-zero op");
}
