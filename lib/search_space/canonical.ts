/**
 * Canonical form and hash of a genome (DESIGN.md convention 5: equivalent genomes collapse so
 * duplicates are evaluated once).
 *
 * Rules, per cell (the builder builds the canonical form, so these ARE the semantics):
 * 1. zero nodes (a `zero` op, or all inputs zero) are removed and drop out of their consumers'
 *    input lists;
 * 2. nodes that do not reach the cell output (e.g. consumed only by zero nodes) are removed;
 * 3. single-input identity nodes are short-circuited: consumers read the identity's input
 *    directly (unless that would give them the same input twice), and an identity that is a
 *    cell output is replaced by its input when that input is a node nobody else reads;
 * 4. the two inputs of a node are sorted (the node sums them, order is irrelevant);
 * 5. nodes are renumbered by the topological order whose JSON is lexicographically smallest
 *    (exact for up to 8 live nodes; beyond, a (depth, signature) order is used).
 * Extra fields of the genome object are dropped.
 */
import { createHash } from "node:crypto";
import { analyzeCell, compareRefs, parseRef } from "./_graph.ts";
import type { CellGene, Genome, InputRef, NodeGene } from "./types.ts";

interface WorkNode {
  op: NodeGene["op"];
  inputs: string[]; // "in0" | "n<original index>"
}

function canonicalCell(cell: CellGene): CellGene {
  const a = analyzeCell(cell);
  const nodes = new Map<number, WorkNode>();
  cell.nodes.forEach((node, j) => {
    if (a.live[j]) nodes.set(j, { op: node.op, inputs: [...a.effInputs[j]] });
  });
  const outputs = new Set(a.outputs);
  const consumersOf = (j: number): number[] => {
    const out: number[] = [];
    for (const [m, w] of nodes) if (w.inputs.includes(`n${j}`)) out.push(m);
    return out;
  };
  // Rule 3: identity short-circuit, to a fixed point.
  let changed = true;
  while (changed) {
    changed = false;
    for (const [j, w] of nodes) {
      if (w.op !== "identity" || w.inputs.length !== 1) continue;
      const x = w.inputs[0];
      const ref = `n${j}`;
      for (const m of consumersOf(j)) {
        const wm = nodes.get(m)!;
        if (wm.inputs.includes(x)) continue;
        wm.inputs = wm.inputs.map((r) => (r === ref ? x : r));
        changed = true;
      }
      const px = parseRef(x)!;
      if (outputs.has(j) && px.kind === "n" && consumersOf(px.index).length === 1) {
        outputs.delete(j);
        outputs.add(px.index);
      }
      if (!outputs.has(j) && consumersOf(j).length === 0) {
        nodes.delete(j);
        changed = true;
      }
    }
  }
  return orderCell(nodes);
}

/** Renumbers nodes by the topological order with the smallest JSON (rule 5). */
function orderCell(nodes: Map<number, WorkNode>): CellGene {
  const ids = [...nodes.keys()];
  const deps = new Map<number, number[]>();
  for (const [j, w] of nodes) {
    deps.set(
      j,
      w.inputs.map((r) => parseRef(r)!).filter((p) => p.kind === "n").map((p) => p.index),
    );
  }
  const render = (order: number[]): { cell: CellGene; text: string } => {
    const pos = new Map(order.map((j, k) => [j, k]));
    const out: NodeGene[] = order.map((j) => {
      const w = nodes.get(j)!;
      const inputs = w.inputs.map((r) => {
        const p = parseRef(r)!;
        return (p.kind === "in" ? r : `n${pos.get(p.index)}`) as InputRef;
      }).sort(compareRefs);
      return { op: w.op, inputs };
    });
    return { cell: { nodes: out }, text: JSON.stringify(out) };
  };
  if (ids.length <= 8) {
    let best: { cell: CellGene; text: string } | null = null;
    const order: number[] = [];
    const placed = new Set<number>();
    const visit = () => {
      if (order.length === ids.length) {
        const r = render(order);
        if (best === null || r.text < best.text) best = r;
        return;
      }
      for (const j of ids) {
        if (placed.has(j) || !deps.get(j)!.every((d) => placed.has(d))) continue;
        placed.add(j);
        order.push(j);
        visit();
        order.pop();
        placed.delete(j);
      }
    };
    visit();
    return best!.cell;
  }
  // Large cells: order by (depth, recursive signature), ties by original index.
  const sig = new Map<number, string>();
  const depth = new Map<number, number>();
  for (const j of [...ids].sort((x, y) => x - y)) {
    const w = nodes.get(j)!;
    const parts = w.inputs.map((r) => {
      const p = parseRef(r)!;
      return p.kind === "in" ? r : `(${sig.get(p.index)})`;
    }).sort();
    sig.set(j, `${w.op}:${parts.join(",")}`);
    depth.set(j, 1 + Math.max(0, ...deps.get(j)!.map((d) => depth.get(d)!)));
  }
  const order = [...ids].sort((x, y) =>
    depth.get(x)! - depth.get(y)! ||
    (sig.get(x)! < sig.get(y)! ? -1 : sig.get(x)! > sig.get(y)! ? 1 : x - y)
  );
  return render(order).cell;
}

/** The canonical form of a structurally valid genome (see the module comment). */
export function canonicalize(genome: Genome): Genome {
  return {
    embeddingSize: genome.embeddingSize,
    hiddenSize: genome.hiddenSize,
    cells: genome.cells.map(canonicalCell),
    // GELU is the default: only a non-default activation is part of the canonical genome
    ...(genome.activation && genome.activation !== "gelu" ? { activation: genome.activation } : {}),
  };
}

/** Canonical JSON with a fixed key order. */
export function canonicalJson(genome: Genome): string {
  const c = canonicalize(genome);
  return JSON.stringify({
    embeddingSize: c.embeddingSize,
    hiddenSize: c.hiddenSize,
    cells: c.cells.map((cell) => ({
      nodes: cell.nodes.map((n) => ({ op: n.op, inputs: n.inputs })),
    })),
    ...(c.activation ? { activation: c.activation } : {}),
  });
}

/** sha256 of the canonical JSON, first 16 hex digits. Equivalent genomes share a hash. */
export function genomeHash(genome: Genome): string {
  return createHash("sha256").update(canonicalJson(genome)).digest("hex").slice(0, 16);
}
