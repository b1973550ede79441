/**
 * `ArchitectureDiagram`: a genome's cells drawn as DAGs in one SVG.
 *
 * Cells sit side by side, each in a panel. Inside a cell, rows are topological layers: the cell
 * inputs on top ("in0" = the previous cell's output; "in1" = two cells back, drawn only when some
 * node uses it), then each node in the layer after its deepest input, then "out" (the sum of the
 * nodes no other node consumes, + residual and LayerNorm). Nodes are boxes labelled with the op
 * name, filled by op family; edges are curves from an input's bottom to the node's top with an
 * arrow head. The genome format is `GenomeLike` (genome_like.ts), structurally the search
 * space's `Genome` (inputs `"in0"`, `"in1"`, `"n<k>"`): pass a real genome as it is.
 */
import { DisplayObject, JUPYTER_DISPLAY, type MimeBundle } from "./_display.ts";
import { escapeHtml } from "./escape_html.ts";
import {
  type CellLike,
  type GenomeLike,
  OP_FAMILY_COLORS,
  type OpFamily,
  opFamily,
  parseInputRef,
} from "./genome_like.ts";

export interface ArchitectureDiagramOptions {
  /** Box size in pixels. Defaults 96 x 26. */
  boxWidth?: number;
  boxHeight?: number;
  /** Title above the diagram. Default: the genome's sizes. */
  title?: string;
}

interface Placed {
  key: string; // "in0", "in1", "n0", "out"
  label: string;
  title: string;
  family: OpFamily | "io";
  x: number; // centre
  y: number; // top
}

const FONT = `font-family="system-ui, sans-serif"`;

/** Layer of every node: inputs are layer 0, a node is 1 + the deepest of its inputs. */
export function cellLayers(cell: CellLike, cellIndex = 0): number[] {
  const layers: number[] = [];
  cell.nodes.forEach((node, k) => {
    if (node.inputs.length === 0) {
      throw new RangeError(
        `ArchitectureDiagram: cell ${cellIndex} node ${k} (${node.op}) has no inputs`,
      );
    }
    let deepest = 0;
    for (const ref of node.inputs) {
      const p = typeof ref === "string" ? parseInputRef(ref) : null;
      if (!p || (p.kind === "in" && p.index > 1) || (p.kind === "node" && p.index >= k)) {
        throw new RangeError(
          `ArchitectureDiagram: cell ${cellIndex} node ${k} (${node.op}) has input ${
            JSON.stringify(ref)
          }; allowed: "in0", "in1" (cell inputs)` +
            (k > 0 ? ` or an earlier node "n0".."n${k - 1}"` : " (node 0 has no earlier node)"),
        );
      }
      deepest = Math.max(deepest, p.kind === "in" ? 0 : layers[p.index]);
    }
    layers.push(deepest + 1);
  });
  return layers;
}

/** Nodes whose output no other node of the cell consumes (they are summed into the cell output). */
export function cellOutputs(cell: CellLike): number[] {
  const used = new Set<number>();
  for (const n of cell.nodes) {
    for (const ref of n.inputs) {
      const p = parseInputRef(ref);
      if (p?.kind === "node") used.add(p.index);
    }
  }
  return cell.nodes.map((_, k) => k).filter((k) => !used.has(k));
}

export class ArchitectureDiagram extends DisplayObject {
  readonly genome: GenomeLike;
  readonly svg: string;
  readonly #title: string;

  constructor(genome: GenomeLike, options: ArchitectureDiagramOptions = {}) {
    super();
    if (!genome || !Array.isArray(genome.cells)) {
      throw new TypeError(
        "ArchitectureDiagram expects a genome { embeddingSize, hiddenSize, cells: [{ nodes }] }",
      );
    }
    this.genome = genome;
    this.#title = options.title ??
      `embedding ${genome.embeddingSize}, hidden ${genome.hiddenSize}, ` +
        `${genome.cells.length} cells`;
    this.svg = drawGenome(genome, this.#title, options);
  }

  toHtml(): string {
    return this.svg;
  }

  override [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.svg, "text/plain": this.toString() };
  }

  toString(): string {
    const lines = [`Genome: ${this.#title}`];
    this.genome.cells.forEach((cell, c) => {
      const nodes = cell.nodes.map((n, k) => `n${k} = ${n.op}(${n.inputs.join(" + ")})`);
      const outs = cellOutputs(cell).map((k) => `n${k}`).join(" + ") || "in0";
      lines.push(`  cell ${c + 1}: ${nodes.join("; ")}; out = ${outs}`);
    });
    return lines.join("\n");
  }
}

function drawGenome(
  genome: GenomeLike,
  title: string,
  options: ArchitectureDiagramOptions,
): string {
  const bw = options.boxWidth ?? 96, bh = options.boxHeight ?? 26;
  const hGap = 14, vGap = 34, pad = 12, panelGap = 16, top = 30;
  const panels: { markup: string; width: number; height: number }[] = [];
  genome.cells.forEach((cell, c) => {
    const layers = cellLayers(cell, c);
    const maxLayer = Math.max(0, ...layers);
    const usesIn1 = cell.nodes.some((n) => n.inputs.includes("in1"));
    const rows: Placed[][] = Array.from({ length: maxLayer + 2 }, () => []);
    rows[0].push(io("in0", "in0", "cell input in0 (previous cell's output)"));
    if (usesIn1) rows[0].push(io("in1", "in1", "cell input in1 (two cells back)"));
    cell.nodes.forEach((node, k) => {
      const family = opFamily(node.op);
      rows[layers[k]].push({
        key: `n${k}`,
        label: shorten(node.op, Math.floor((bw - 8) / 6.2)),
        title: `node ${k}: ${node.op} (${family})`,
        family,
        x: 0,
        y: 0,
      });
    });
    rows[maxLayer + 1].push(
      io("out", "out (sum)", "cell output: sum of unconsumed nodes + residual, LayerNorm"),
    );
    const widest = Math.max(...rows.map((r) => r.length));
    const width = widest * bw + (widest - 1) * hGap + 2 * pad;
    const byKey = new Map<string, Placed>();
    rows.forEach((row, l) => {
      const rowWidth = row.length * bw + (row.length - 1) * hGap;
      row.forEach((p, j) => {
        p.x = (width - rowWidth) / 2 + j * (bw + hGap) + bw / 2;
        p.y = top + l * (bh + vGap);
        byKey.set(p.key, p);
      });
    });
    const height = top + rows.length * (bh + vGap) - vGap + pad;
    const edges: string[] = [];
    const edge = (from: Placed, to: Placed) => {
      const x1 = from.x, y1 = from.y + bh, x2 = to.x, y2 = to.y - 4;
      const my = (y1 + y2) / 2;
      edges.push(
        `<path d="M${r(x1)},${r(y1)}C${r(x1)},${r(my)} ${r(x2)},${r(my)} ${r(x2)},${
          r(y2)
        }" fill="none" stroke="#666" stroke-width="1.2"/>` +
          `<path d="M${r(x2 - 3.5)},${r(y2)}L${r(x2 + 3.5)},${r(y2)}L${r(x2)},${
            r(y2 + 4)
          }Z" fill="#666"/>`,
      );
    };
    cell.nodes.forEach((node, k) => {
      for (const ref of new Set(node.inputs)) edge(byKey.get(ref)!, byKey.get(`n${k}`)!);
    });
    const outs = cellOutputs(cell);
    if (outs.length === 0) edge(byKey.get("in0")!, byKey.get("out")!);
    for (const k of outs) edge(byKey.get(`n${k}`)!, byKey.get("out")!);
    const boxes = rows.flat().map((p) => box(p, bw, bh)).join("");
    const markup =
      `<rect x="0.5" y="0.5" width="${width - 1}" height="${
        height - 1
      }" rx="6" fill="#fafafa" stroke="#ccc"/>` +
      `<text x="${pad}" y="18" font-weight="bold">cell ${c + 1}</text>` + edges.join("") + boxes;
    panels.push({ markup, width, height });
  });
  const headerH = 28, legendH = 26;
  let x = 0;
  const placed = panels.map((p) => {
    const g = `<g transform="translate(${x},${headerH})">${p.markup}</g>`;
    x += p.width + panelGap;
    return g;
  });
  const legendFamilies = Object.keys(OP_FAMILY_COLORS) as OpFamily[];
  const bodyW = Math.max(x - panelGap, legendFamilies.length * 78);
  const bodyH = Math.max(0, ...panels.map((p) => p.height));
  const legend = legendFamilies
    .map((f, i) =>
      `<rect x="${i * 78}" y="0" width="12" height="12" rx="2" fill="${
        OP_FAMILY_COLORS[f]
      }" stroke="#555" stroke-width="0.5"/>` +
      `<text x="${i * 78 + 16}" y="10">${f}</text>`
    )
    .join("");
  const width = Math.ceil(bodyW), height = headerH + bodyH + legendH + 6;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" ${FONT} font-size="11">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="2" y="18" font-size="14" font-weight="bold">${escapeHtml(title)}</text>` +
    placed.join("") +
    `<g transform="translate(2,${headerH + bodyH + 10})" font-size="10">${legend}</g></svg>`;
}

function io(key: string, label: string, title: string): Placed {
  return { key, label, title, family: "io", x: 0, y: 0 };
}

function box(p: Placed, bw: number, bh: number): string {
  const fill = p.family === "io" ? "white" : OP_FAMILY_COLORS[p.family];
  const dark = p.family === "attention" || p.family === "conv" || p.family === "pool";
  const dash = p.family === "zero" ? ` stroke-dasharray="3,2"` : "";
  const cls = p.family === "io" ? "io" : "node";
  return `<g class="${cls}" data-family="${p.family}"><title>${escapeHtml(p.title)}</title>` +
    `<rect class="${cls}" x="${r(p.x - bw / 2)}" y="${
      r(p.y)
    }" width="${bw}" height="${bh}" rx="4" fill="${fill}" stroke="#333"${dash}/>` +
    `<text x="${r(p.x)}" y="${r(p.y + bh / 2)}" dy="0.35em" text-anchor="middle" fill="${
      dark ? "white" : "#111"
    }">${escapeHtml(p.label)}</text></g>`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function r(v: number): string {
  return String(Math.round(v * 100) / 100);
}
