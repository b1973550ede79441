/** Uniform random genomes from a space (rejection sampling against the space's rules). */
import type { Prng } from "../random/mod.ts";
import { cellInputCount } from "./_graph.ts";
import { genomeErrors } from "./validate.ts";
import type { CellGene, Genome, InputRef, NodeGene, SearchSpaceConfig } from "./types.ts";

/** Random references allowed for node `j` of cell `cellIndex`. */
export function allowedInputs(cellIndex: number, j: number, space: SearchSpaceConfig): InputRef[] {
  const nIn = cellInputCount(cellIndex, space.cellInputs);
  return [
    ...Array.from({ length: nIn }, (_, i) => `in${i}` as InputRef),
    ...Array.from({ length: j }, (_, i) => `n${i}` as InputRef),
  ];
}

/** A random node j of cell `cellIndex`: uniform op, one or two (distinct) uniform inputs. */
export function sampleNode(
  cellIndex: number,
  j: number,
  space: SearchSpaceConfig,
  prng: Prng,
): NodeGene {
  const allowed = allowedInputs(cellIndex, j, space);
  const k = Math.min(allowed.length, space.maxNodeInputs === 2 && prng.next() < 0.5 ? 2 : 1);
  const inputs = prng.shuffle([...allowed]).slice(0, k);
  return { op: prng.pick(space.ops), inputs };
}

/** A random cell at position `cellIndex` with a uniform node count. */
export function sampleCell(cellIndex: number, space: SearchSpaceConfig, prng: Prng): CellGene {
  const n = space.minNodes + prng.int(space.maxNodes - space.minNodes + 1);
  return { nodes: Array.from({ length: n }, (_, j) => sampleNode(cellIndex, j, space, prng)) };
}

/**
 * A random valid genome: uniform sizes, uniform cell count, random cells; redrawn until it
 * passes `genomeErrors` (including compression bounds), at most `maxTries` (default 2000) times.
 */
export function sampleGenome(
  space: SearchSpaceConfig,
  prng: Prng,
  options: { maxTries?: number } = {},
): Genome {
  const { maxTries = 2000 } = options;
  let last: string[] = [];
  for (let t = 0; t < maxTries; t++) {
    const nCells = space.minCells + prng.int(space.maxCells - space.minCells + 1);
    const g: Genome = {
      embeddingSize: prng.pick(space.embeddingSizes),
      hiddenSize: prng.pick(space.hiddenSizes),
      cells: Array.from({ length: nCells }, (_, c) => sampleCell(c, space, prng)),
    };
    last = genomeErrors(g, space);
    if (last.length === 0) return g;
  }
  throw new RangeError(
    `sampleGenome: no valid genome in ${maxTries} draws; last problems: ${last.join("; ")}. ` +
      `Are the compression bounds reachable with these sizes?`,
  );
}
