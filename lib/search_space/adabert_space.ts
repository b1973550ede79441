/**
 * AdaBERT's search space (Chen et al. 2020; METHODS.md), plain data and arithmetic, no tfjs: the
 * supernet itself is `adabert_supernet.ts`.
 *
 * A cell has 2 inputs (the outputs of the two previous cells, the embedding output for the first
 * cells) and 3 intermediate nodes; node j receives one edge from every earlier state (in0, in1,
 * n0..n(j-1)), 2 + 3 + 4 = 9 edges, each mixing `ADABERT_OPS` (10 ops: the RoSearch space's
 * convolution, dilated convolution, pooling, identity and zero implementations: one definition
 * of each op in the project). One topology is shared by all cells; the number of cells (1..K)
 * is chosen by a Gumbel-softmax too.
 *
 * Node and cell semantics (the same in the supernet and in the derived genome): node j = the sum
 * of its edges, edge = op(source); cell output = LayerNorm(in0 + sum of its 3 nodes) (DARTS
 * feeds every intermediate node to the output, concatenated; ours sums them, the RoSearch
 * builder's residual + LayerNorm). `derivedGenome` writes the derived cell in the RoSearch
 * genome format: one node per kept edge, one identity node per intermediate node summing its
 * two edges, and an identity "collector" for an intermediate node that a later node consumes
 * (the genome's cell output sums only unconsumed nodes), so `buildStudent` builds exactly the
 * derived architecture.
 *
 * Efficiency loss (the reproduction's form, METHODS.md): L_E = (E[cells] / K) x mean over the
 * edges of sum_o p(o) cost(o), with cost(o) the op's parameters at the hidden size divided by
 * the largest op's (conv_7: ours, the reproduction uses a fixed table of its own).
 */
import { OP_NAMES, type OpName, opParams } from "./ops.ts";
import type { CellGene, Genome, InputRef, NodeGene } from "./types.ts";

/** AdaBERT's 10 ops: the RoSearch set without attention and feed-forward, in its order. */
export type AdaBertOp = Exclude<OpName, `attn_${string}` | `ffn_${string}`>;
export const ADABERT_OPS: readonly AdaBertOp[] = OP_NAMES.filter((o): o is AdaBertOp =>
  !o.startsWith("attn_") && !o.startsWith("ffn_")
);

/** Intermediate nodes per cell and inputs per cell (AdaBERT's 3 and 2). */
export const ADABERT_NODES = 3;
export const ADABERT_CELL_INPUTS = 2;

/** One edge of the cell: source state -> intermediate node. */
export interface CellEdge {
  /** "in0" (previous cell), "in1" (the one before), "n<i>" (intermediate node i). */
  source: InputRef;
  node: number;
}

/** The 9 edges of a cell, node by node, sources in order in0, in1, n0, n1. */
export function cellEdges(nodes = ADABERT_NODES): CellEdge[] {
  const out: CellEdge[] = [];
  for (let j = 0; j < nodes; j++) {
    const sources: InputRef[] = ["in0", "in1"];
    for (let i = 0; i < j; i++) sources.push(`n${i}`);
    for (const source of sources) out.push({ source, node: j });
  }
  return out;
}

/** cost(o) = params(o, H) / params(conv_7, H): conv_7 = 1, pooling, identity and zero 0. */
export function adabertOpCosts(hiddenSize: number): number[] {
  const top = Math.max(...ADABERT_OPS.map((o) => opParams(o, hiddenSize)));
  return ADABERT_OPS.map((o) => opParams(o, hiddenSize) / top);
}

/**
 * L_E for op probabilities [edges][ops] and depth probabilities [K] (depth k + 1 at index k):
 * (sum_k p_k (k + 1) / K) x mean_e sum_o p_eo cost_o.
 */
export function expectedEfficiencyCost(
  opProbs: readonly (readonly number[])[],
  depthProbs: readonly number[],
  costs: readonly number[],
): number {
  const K = depthProbs.length;
  const depth = depthProbs.reduce((a, p, k) => a + p * (k + 1), 0) / K;
  const perEdge = opProbs.map((ps) => ps.reduce((a, p, o) => a + p * costs[o], 0));
  return depth * perEdge.reduce((a, b) => a + b, 0) / perEdge.length;
}

/**
 * Gumbel-softmax temperature at `step` of `total`: annealed exponentially from `start` (1.0)
 * to `end` (0.2) over the search, the reproduction's "1.0 -> 0.2 in steps".
 */
export function gumbelTemperature(
  step: number,
  total: number,
  o: { start?: number; end?: number } = {},
): number {
  const { start = 1, end = 0.2 } = o;
  if (!(total >= 1) || !(step >= 0)) {
    throw new RangeError(`gumbelTemperature: need step >= 0 and total >= 1, got ${step}/${total}`);
  }
  const f = total === 1 ? 1 : Math.min(1, step / (total - 1));
  return start * (end / start) ** f;
}

const softmax = (xs: readonly number[]) => {
  const m = Math.max(...xs), e = xs.map((x) => Math.exp(x - m)), z = e.reduce((a, b) => a + b);
  return e.map((x) => x / z);
};

/** The derived architecture: depth, and per intermediate node its two kept edges. */
export interface DerivedArchitecture {
  cells: number;
  nodes: { source: InputRef; op: AdaBertOp; strength: number }[][];
}

/**
 * DARTS/AdaBERT derivation from architecture logits alpha [edges][ops] and depth logits beta
 * [K]: on every edge its strongest op other than zero (strength = that op's softmax
 * probability); each node keeps its two strongest edges; depth = argmax beta + 1.
 */
export function deriveArchitecture(
  alpha: readonly (readonly number[])[],
  beta: readonly number[],
  nodes = ADABERT_NODES,
): DerivedArchitecture {
  const edges = cellEdges(nodes);
  if (alpha.length !== edges.length || alpha.some((r) => r.length !== ADABERT_OPS.length)) {
    throw new RangeError(
      `deriveArchitecture: alpha must be [${edges.length}][${ADABERT_OPS.length}]`,
    );
  }
  const zero = ADABERT_OPS.indexOf("zero");
  const best = alpha.map((row) => {
    const p = softmax(row);
    let o = -1;
    p.forEach((v, i) => {
      if (i !== zero && (o < 0 || v > p[o])) o = i;
    });
    return { op: ADABERT_OPS[o], strength: p[o] };
  });
  const out: DerivedArchitecture["nodes"] = [];
  for (let j = 0; j < nodes; j++) {
    const mine = edges.map((e, i) => ({ ...e, ...best[i] })).filter((e) => e.node === j);
    mine.sort((a, b) => b.strength - a.strength);
    out.push(mine.slice(0, 2).map(({ source, op, strength }) => ({ source, op, strength })));
  }
  const cells = beta.indexOf(Math.max(...beta)) + 1;
  return { cells, nodes: out };
}

/** The derived architecture as a RoSearch genome (see the file comment for the mapping). */
export function derivedGenome(
  d: DerivedArchitecture,
  sizes: { embeddingSize: number; hiddenSize: number },
): Genome {
  const nodes: NodeGene[] = [];
  const sumNode: number[] = []; // genome index of intermediate node j
  const ref = (
    s: InputRef,
  ): InputRef => (s.startsWith("n") ? `n${sumNode[Number(s.slice(1))]}` : s);
  d.nodes.forEach((edges) => {
    const parts = edges.map((e) => {
      nodes.push({ op: e.op, inputs: [ref(e.source)] });
      return `n${nodes.length - 1}` as InputRef;
    });
    nodes.push({ op: "identity", inputs: parts });
    sumNode.push(nodes.length - 1);
  });
  const consumed = new Set(
    d.nodes.flatMap((edges) =>
      edges.filter((e) => e.source.startsWith("n")).map((e) => Number(e.source.slice(1)))
    ),
  );
  for (const j of consumed) nodes.push({ op: "identity", inputs: [`n${sumNode[j]}`] });
  // cell 0 has one input (the embedding output): its in1 edges read in0, as in the supernet
  const first: CellGene = {
    nodes: nodes.map((n) => ({ ...n, inputs: n.inputs.map((r) => (r === "in1" ? "in0" : r)) })),
  };
  return {
    embeddingSize: sizes.embeddingSize,
    hiddenSize: sizes.hiddenSize,
    cells: Array.from({ length: d.cells }, (_, c) => structuredClone(c === 0 ? first : { nodes })),
  };
}
