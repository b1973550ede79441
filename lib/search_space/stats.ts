/**
 * Architecture statistics of a genome, the quantities RoSearch relates to robustness
 * (its closing analysis; the exact statistics of the paper are unknown, these are ours).
 * All computed on the canonical form (dead, zero and short-circuited identity nodes excluded).
 */
import { parseRef } from "./_graph.ts";
import { canonicalize } from "./canonical.ts";
import { countFlops, countParams } from "./count.ts";
import { OP_NAMES, OP_SPECS, type OpName } from "./ops.ts";
import { DEFAULT_SIZE_CONTEXT } from "./space.ts";
import type { Genome, SizeContext } from "./types.ts";

export interface ArchitectureStats {
  numCells: number;
  /** Live nodes over all cells. */
  numNodes: number;
  opCounts: Record<OpName, number>;
  /** Share of live nodes per op (0 when there are no nodes). */
  opShares: Record<OpName, number>;
  attentionShare: number;
  /** conv_* and dilconv_* together. */
  convolutionShare: number;
  ffnShare: number;
  poolShare: number;
  identityShare: number;
  /**
   * Longest path from the embeddings to the last cell output, in computing nodes (identity
   * nodes count 0; a cell's residual path counts 0 nodes; paths may skip a cell through in1).
   */
  depth: number;
  /** Largest number of nodes at the same level (longest path from the cell inputs) in any cell. */
  width: number;
  /** Mean number of parallel branches summed into a cell output. */
  branches: number;
  embeddingSize: number;
  hiddenSize: number;
  params: number;
  /** Multiply-adds per sequence at `seqLen` (see countFlops). */
  macs: number;
}

export function architectureStats(
  genome: Genome,
  options: { sizeContext?: SizeContext; seqLen?: number } = {},
): ArchitectureStats {
  const { sizeContext = DEFAULT_SIZE_CONTEXT, seqLen = 128 } = options;
  const g = canonicalize(genome);
  const opCounts = Object.fromEntries(OP_NAMES.map((o) => [o, 0])) as Record<OpName, number>;
  let numNodes = 0, width = 0, branchSum = 0;
  const cellDepth: number[] = []; // network depth of each cell's output; index -1 = embeddings
  const depthOf = (k: number) => (k < 0 ? 0 : cellDepth[k]);
  g.cells.forEach((cell, c) => {
    const d: number[] = []; // network depth of each node
    const level: number[] = []; // depth inside the cell
    const consumed = new Set<number>();
    cell.nodes.forEach((node, j) => {
      opCounts[node.op]++;
      numNodes++;
      let m = 0, lv = 0;
      for (const r of node.inputs) {
        const p = parseRef(r)!;
        if (p.kind === "in") m = Math.max(m, depthOf(c - 1 - p.index));
        else {
          m = Math.max(m, d[p.index]);
          lv = Math.max(lv, level[p.index]);
          consumed.add(p.index);
        }
      }
      d[j] = m + (node.op === "identity" ? 0 : 1);
      level[j] = lv + 1;
    });
    const outs = cell.nodes.map((_, j) => j).filter((j) => !consumed.has(j));
    cellDepth[c] = Math.max(depthOf(c - 1), ...outs.map((j) => d[j]));
    branchSum += outs.length;
    const perLevel = new Map<number, number>();
    for (const l of level) perLevel.set(l, (perLevel.get(l) ?? 0) + 1);
    width = Math.max(width, ...perLevel.values());
  });
  const share = (pred: (o: OpName) => boolean) =>
    numNodes === 0 ? 0 : OP_NAMES.filter(pred).reduce((s, o) => s + opCounts[o], 0) / numNodes;
  return {
    numCells: g.cells.length,
    numNodes,
    opCounts,
    opShares: Object.fromEntries(OP_NAMES.map((o) => [o, share((x) => x === o)])) as Record<
      OpName,
      number
    >,
    attentionShare: share((o) => OP_SPECS[o].kind === "attention"),
    convolutionShare: share((o) => OP_SPECS[o].kind === "conv"),
    ffnShare: share((o) => OP_SPECS[o].kind === "ffn"),
    poolShare: share((o) => OP_SPECS[o].kind === "pool"),
    identityShare: share((o) => o === "identity"),
    depth: depthOf(g.cells.length - 1),
    width,
    branches: g.cells.length === 0 ? 0 : branchSum / g.cells.length,
    embeddingSize: g.embeddingSize,
    hiddenSize: g.hiddenSize,
    params: countParams(g, sizeContext),
    macs: countFlops(g, { seqLen, numLabels: sizeContext.numLabels }),
  };
}
