/**
 * Genome validation: zod for the shape at the boundary (genomes read from files, run
 * records, notebooks), then the DAG and space rules. Errors name the field and what is allowed.
 */
import { z } from "zod";
import { analyzeCell, cellInputCount, parseRef } from "./_graph.ts";
import { countParams } from "./count.ts";
import { OP_NAMES, OP_SPECS } from "./ops.ts";
import { DEFAULT_SEARCH_SPACE } from "./space.ts";
import type { Genome, SearchSpaceConfig } from "./types.ts";

const NodeSchema = z.object({
  op: z.enum(OP_NAMES),
  inputs: z.array(z.string()).min(1).max(2),
}).strict();

export const GenomeSchema = z.object({
  embeddingSize: z.number().int().positive(),
  hiddenSize: z.number().int().positive(),
  cells: z.array(z.object({ nodes: z.array(NodeSchema) }).strict()).min(1),
  activation: z.enum(["gelu", "relu"]).optional(),
}).passthrough();

/** Problems of a genome against a space, each naming its field; empty when valid. */
export function genomeErrors(
  genome: unknown,
  space: SearchSpaceConfig = DEFAULT_SEARCH_SPACE,
  options: { checkCompression?: boolean } = {},
): string[] {
  const parsed = GenomeSchema.safeParse(genome);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  }
  const g = parsed.data as Genome;
  const errors: string[] = [];
  if (!space.embeddingSizes.includes(g.embeddingSize)) {
    errors.push(
      `embeddingSize: ${g.embeddingSize} is not allowed (allowed: ${
        space.embeddingSizes.join(", ")
      })`,
    );
  }
  if (!space.hiddenSizes.includes(g.hiddenSize)) {
    errors.push(
      `hiddenSize: ${g.hiddenSize} is not allowed (allowed: ${space.hiddenSizes.join(", ")})`,
    );
  }
  if (g.cells.length < space.minCells || g.cells.length > space.maxCells) {
    errors.push(`cells: ${g.cells.length} cells, allowed ${space.minCells}..${space.maxCells}`);
  }
  g.cells.forEach((cell, c) => {
    const where = `cells[${c}]`;
    if (cell.nodes.length < space.minNodes || cell.nodes.length > space.maxNodes) {
      errors.push(
        `${where}.nodes: ${cell.nodes.length} nodes, allowed ${space.minNodes}..${space.maxNodes}`,
      );
    }
    const nIn = cellInputCount(c, space.cellInputs);
    let structural = true;
    cell.nodes.forEach((node, j) => {
      const at = `${where}.nodes[${j}]`;
      if (!space.ops.includes(node.op)) {
        errors.push(
          `${at}.op: "${node.op}" is not in this space (allowed: ${space.ops.join(", ")})`,
        );
      }
      const spec = OP_SPECS[node.op];
      if (spec.kind === "attention" && g.hiddenSize % spec.heads !== 0) {
        errors.push(
          `${at}.op: ${node.op} needs hiddenSize divisible by ${spec.heads}, got ${g.hiddenSize}`,
        );
      }
      if (node.inputs.length > space.maxNodeInputs) {
        errors.push(
          `${at}.inputs: ${node.inputs.length} inputs, at most ${space.maxNodeInputs} allowed`,
        );
      }
      const allowed = [
        ...Array.from({ length: nIn }, (_, i) => `in${i}`),
        ...Array.from({ length: j }, (_, i) => `n${i}`),
      ];
      node.inputs.forEach((ref, k) => {
        const p = parseRef(ref);
        const ok = p !== null && (p.kind === "in" ? p.index < nIn : p.index < j);
        if (!ok) {
          structural = false;
          errors.push(
            `${at}.inputs[${k}]: "${ref}" is not a cell input or an earlier node (allowed: ${
              allowed.join(", ")
            })`,
          );
        }
      });
      if (new Set(node.inputs).size !== node.inputs.length) {
        structural = false;
        errors.push(`${at}.inputs: duplicate input in ${JSON.stringify(node.inputs)}`);
      }
    });
    if (structural && analyzeCell(cell).outputs.length === 0) {
      errors.push(`${where}: no non-zero path from the cell inputs to the cell output`);
    }
  });
  const cmp = space.compression;
  if (errors.length === 0 && cmp && (options.checkCompression ?? true)) {
    const ratio = cmp.teacherParams / countParams(g, space.sizeContext);
    if (ratio < cmp.minRatio || ratio > cmp.maxRatio) {
      errors.push(
        `compression: ratio ${ratio.toFixed(2)} is outside [${cmp.minRatio}, ${cmp.maxRatio}] ` +
          `(teacher ${cmp.teacherParams} params)`,
      );
    }
  }
  return errors;
}

/**
 * Checks a genome (zod shape, space choices, DAG rules, compression bounds if the space has
 * them) and returns it typed; throws a TypeError listing every problem otherwise.
 */
export function validateGenome(
  genome: unknown,
  space: SearchSpaceConfig = DEFAULT_SEARCH_SPACE,
  options: { checkCompression?: boolean } = {},
): Genome {
  const errors = genomeErrors(genome, space, options);
  if (errors.length > 0) throw new TypeError(`Invalid genome: ${errors.join("; ")}`);
  return genome as Genome;
}

/**
 * Structural validation only (shape, references, DAG, a live path per cell), whatever the
 * sizes and counts: what the builder needs. Throws a TypeError listing every problem.
 */
export function validateStructure(genome: unknown): Genome {
  const g = genome as Partial<Genome> | null;
  const cells = Array.isArray(g?.cells) ? g!.cells : [];
  const nodes = cells.map((c) => (Array.isArray(c?.nodes) ? c.nodes.length : 0));
  const open: SearchSpaceConfig = {
    ...DEFAULT_SEARCH_SPACE,
    embeddingSizes: [typeof g?.embeddingSize === "number" ? g.embeddingSize : 1],
    hiddenSizes: [typeof g?.hiddenSize === "number" ? g.hiddenSize : 1],
    minCells: 1,
    maxCells: Math.max(1, cells.length),
    minNodes: 0,
    maxNodes: Math.max(0, ...nodes),
    compression: undefined,
  };
  return validateGenome(genome, open);
}

/** Compression ratio teacher / student (needs a space with compression bounds). */
export function compressionRatio(genome: Genome, space: SearchSpaceConfig): number {
  if (!space.compression) throw new RangeError("compressionRatio needs a space with teacherParams");
  return space.compression.teacherParams / countParams(genome, space.sizeContext);
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return "genome";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
