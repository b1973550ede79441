/**
 * The genome shape the viz area draws: structurally the search space's `Genome`
 * (lib/search_space/types.ts), written here without importing it so viz stays independent, and
 * anything compatible with it can be drawn.
 *
 * A genome has an embedding size, a hidden size and a list of cells. Each cell is a DAG of nodes;
 * a node applies one operation to the sum of its inputs. Inputs are references as in the search
 * space: `"in0"` is the cell's input (the previous cell's output), `"in1"` the input before it
 * (two cells back), and `"n<k>"` is node k of the same cell (only earlier nodes). The cell output
 * is the sum of the nodes no other node in the cell consumes (METHODS.md "Our defaults"),
 * followed by residual + LayerNorm.
 */
export interface GenomeLike {
  embeddingSize: number;
  hiddenSize: number;
  cells: readonly CellLike[];
}

export interface CellLike {
  nodes: readonly NodeLike[];
}

export interface NodeLike {
  op: string;
  /**
   * `"in0"`, `"in1"` (cell inputs) or `"n<k>"` (an earlier node), as `InputRef` in
   * lib/search_space.
   */
  inputs: readonly string[];
}

/** A parsed input reference: a cell input (0 = previous cell, 1 = two back) or a node. */
export type ParsedInput = { kind: "in"; index: number } | { kind: "node"; index: number };

/** Parses `"in0"`, `"in1"` or `"n<k>"`; null for anything else. */
export function parseInputRef(ref: string): ParsedInput | null {
  const m = /^(in|n)(0|[1-9][0-9]*)$/.exec(ref);
  if (!m) return null;
  return { kind: m[1] === "in" ? "in" : "node", index: Number(m[2]) };
}

/** Operation families, each with its own colour in diagrams. */
export type OpFamily = "attention" | "ffn" | "conv" | "pool" | "identity" | "zero" | "other";

export const OP_FAMILY_COLORS: Record<OpFamily, string> = {
  attention: "#4269d0",
  ffn: "#efb118",
  conv: "#3ca951",
  pool: "#a463f2",
  identity: "#9498a0",
  zero: "#dddddd",
  other: "#ff8ab7",
};

/**
 * The family of an operation name, by keyword (`mhsa_4`, `attn4` → attention; `dil_conv_3` →
 * conv).
 */
export function opFamily(op: string): OpFamily {
  const s = op.toLowerCase();
  if (/att|mhsa|self_?attn|head/.test(s)) return "attention";
  if (/ffn|feed|mlp|dense/.test(s)) return "ffn";
  if (/conv/.test(s)) return "conv";
  if (/pool/.test(s)) return "pool";
  if (/identity|skip|^id$/.test(s)) return "identity";
  if (/zero|none/.test(s)) return "zero";
  return "other";
}

/** True when `value` looks like a GenomeLike (checked loosely: sizes and cells of nodes). */
export function isGenomeLike(value: unknown): value is GenomeLike {
  if (typeof value !== "object" || value === null) return false;
  const g = value as Record<string, unknown>;
  return Array.isArray(g.cells) &&
    g.cells.every((c) =>
      typeof c === "object" && c !== null && Array.isArray((c as CellLike).nodes) &&
      (c as CellLike).nodes.every((n) =>
        typeof n?.op === "string" && Array.isArray(n.inputs) &&
        n.inputs.every((i) => typeof i === "string")
      )
    );
}

/** Counts of each operation name over all cells, in first-seen order. */
export function opCounts(genome: GenomeLike): Map<string, number> {
  const counts = new Map<string, number>();
  for (const cell of genome.cells) {
    for (const node of cell.nodes) counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
  }
  return counts;
}

/** One line: `E128 H256 L4 | mhsa_4×3 ffn_2×2 conv_3×1`. */
export function genomeSummary(genome: GenomeLike): string {
  const ops = [...opCounts(genome)].map(([op, n]) => `${op}×${n}`).join(" ");
  return `E${genome.embeddingSize} H${genome.hiddenSize} L${genome.cells.length}${
    ops ? ` | ${ops}` : ""
  }`;
}
