/**
 * Mutation (regularized evolution, Real et al. 2019: one small change per child): one node's
 * operation, one input edge (replace, add or remove an input), one size (embedding or hidden
 * size to a neighbouring choice), the number of cells (append a random cell / drop the last)
 * or the number of nodes of a cell (append a random node / drop the last).
 */
import type { Prng } from "../random/mod.ts";
import { genomeHash } from "./canonical.ts";
import { allowedInputs, sampleCell, sampleNode } from "./sample.ts";
import { genomeErrors } from "./validate.ts";
import type { Genome, SearchSpaceConfig } from "./types.ts";

export type MutationKind = "op" | "input" | "embeddingSize" | "hiddenSize" | "cells" | "nodes";

/** Probability of each mutation kind (ours). */
export const MUTATION_WEIGHTS: Readonly<Record<MutationKind, number>> = {
  op: 0.35,
  input: 0.25,
  embeddingSize: 0.1,
  hiddenSize: 0.1,
  cells: 0.1,
  nodes: 0.1,
};

function pickKind(prng: Prng): MutationKind {
  let u = prng.next();
  for (const [k, w] of Object.entries(MUTATION_WEIGHTS) as [MutationKind, number][]) {
    if ((u -= w) < 0) return k;
  }
  return "op";
}

function neighbour(list: number[], value: number, prng: Prng): number {
  const sorted = [...list].sort((a, b) => a - b);
  const i = sorted.indexOf(value);
  if (i < 0) return prng.pick(sorted);
  const options = [sorted[i - 1], sorted[i + 1]].filter((v) => v !== undefined);
  return options.length > 0 ? prng.pick(options) : value;
}

/** One random change, possibly invalid or equivalent; `mutate` filters. */
export function mutateOnce(genome: Genome, space: SearchSpaceConfig, prng: Prng): Genome {
  const g: Genome = structuredClone(genome);
  const kind = pickKind(prng);
  const c = prng.int(g.cells.length);
  const cell = g.cells[c];
  switch (kind) {
    case "op": {
      const node = prng.pick(cell.nodes);
      node.op = prng.pick(
        space.ops.filter((o) => o !== node.op).concat(space.ops.length === 1 ? [node.op] : []),
      );
      break;
    }
    case "input": {
      const j = prng.int(cell.nodes.length);
      const node = cell.nodes[j];
      const free = allowedInputs(c, j, space).filter((r) => !node.inputs.includes(r));
      const u = prng.next();
      if (node.inputs.length === 2 && u < 1 / 3) node.inputs.splice(prng.int(2), 1);
      else if (
        node.inputs.length === 1 && space.maxNodeInputs === 2 && u < 1 / 3 && free.length > 0
      ) {
        node.inputs.push(prng.pick(free));
      } else if (free.length > 0) node.inputs[prng.int(node.inputs.length)] = prng.pick(free);
      break;
    }
    case "embeddingSize":
      g.embeddingSize = neighbour(space.embeddingSizes, g.embeddingSize, prng);
      break;
    case "hiddenSize":
      g.hiddenSize = neighbour(space.hiddenSizes, g.hiddenSize, prng);
      break;
    case "cells":
      if (prng.next() < 0.5) g.cells.pop();
      else g.cells.push(sampleCell(g.cells.length, space, prng));
      break;
    case "nodes":
      if (prng.next() < 0.5) cell.nodes.pop();
      else cell.nodes.push(sampleNode(c, cell.nodes.length, space, prng));
      break;
  }
  return g;
}

/**
 * A valid genome that differs from `genome` after canonicalisation (a change to a dead
 * node does not count), made by one mutation; retried up to `maxTries` (default 500) times.
 */
export function mutate(
  genome: Genome,
  space: SearchSpaceConfig,
  prng: Prng,
  options: { maxTries?: number } = {},
): Genome {
  const { maxTries = 500 } = options;
  const before = genomeHash(genome);
  for (let t = 0; t < maxTries; t++) {
    const child = mutateOnce(genome, space, prng);
    if (genomeErrors(child, space).length === 0 && genomeHash(child) !== before) return child;
  }
  throw new RangeError(`mutate: no valid, different mutation of ${before} in ${maxTries} tries`);
}
