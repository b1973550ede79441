/**
 * Cell-graph helpers shared by canonicalisation, validation, counting and statistics.
 * Pure data, no tfjs.
 */
import type { CellGene, InputRef, NodeGene } from "./types.ts";

export interface ParsedRef {
  kind: "in" | "n";
  index: number;
}

const REF_RE = /^(in|n)(0|[1-9][0-9]*)$/;

/** Parses `"in0"` / `"n3"`; null when the text is not a reference. */
export function parseRef(ref: string): ParsedRef | null {
  const m = REF_RE.exec(ref);
  return m ? { kind: m[1] as "in" | "n", index: Number(m[2]) } : null;
}

/** Total order on references: cell inputs first, then nodes, each by index. */
export function compareRefs(a: string, b: string): number {
  const pa = parseRef(a)!, pb = parseRef(b)!;
  const ka = pa.kind === "in" ? 0 : 1, kb = pb.kind === "in" ? 0 : 1;
  return ka !== kb ? ka - kb : pa.index - pb.index;
}

/** Node indices an input list refers to. */
export function nodeInputs(node: NodeGene): number[] {
  const out: number[] = [];
  for (const r of node.inputs) {
    const p = parseRef(r);
    if (p && p.kind === "n") out.push(p.index);
  }
  return out;
}

/** How many cell inputs cell `cellIndex` has in a space with `cellInputs` (1 or 2). */
export function cellInputCount(cellIndex: number, cellInputs: number): number {
  return Math.min(cellIndex + 1, cellInputs);
}

/**
 * The effective graph of a (structurally valid) cell: which nodes are zero (a `zero` op, or
 * fed only by zero nodes), which are live (contribute to the cell output), each node's inputs
 * without zero nodes, and the live outputs (nodes no other node consumes).
 */
export interface CellAnalysis {
  zero: boolean[];
  live: boolean[];
  effInputs: InputRef[][];
  outputs: number[];
}

export function analyzeCell(cell: CellGene): CellAnalysis {
  const n = cell.nodes.length;
  const zero: boolean[] = new Array(n).fill(false);
  const effInputs: InputRef[][] = [];
  for (let j = 0; j < n; j++) {
    const node = cell.nodes[j];
    const eff = node.inputs.filter((r) => {
      const p = parseRef(r)!;
      return p.kind === "in" || !zero[p.index];
    });
    effInputs.push(eff);
    zero[j] = node.op === "zero" || eff.length === 0;
  }
  const consumed: boolean[] = new Array(n).fill(false);
  for (const node of cell.nodes) for (const i of nodeInputs(node)) consumed[i] = true;
  const live: boolean[] = new Array(n).fill(false);
  const outputs: number[] = [];
  for (let j = 0; j < n; j++) if (!consumed[j] && !zero[j]) outputs.push(j);
  const stack = [...outputs];
  while (stack.length > 0) {
    const j = stack.pop()!;
    if (live[j]) continue;
    live[j] = true;
    for (const r of effInputs[j]) {
      const p = parseRef(r)!;
      if (p.kind === "n") stack.push(p.index);
    }
  }
  return { zero, live, effInputs, outputs };
}

/** Longest path (in nodes) from the cell inputs to each node: inputs are depth 0. */
export function nodeDepths(cell: CellGene): number[] {
  const d: number[] = [];
  cell.nodes.forEach((node, j) => {
    let m = 0;
    for (const i of nodeInputs(node)) m = Math.max(m, d[i]);
    d[j] = m + 1;
  });
  return d;
}
