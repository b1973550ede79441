/** Compact one-line text form of a genome, e.g.
 * `E64>H128 | attn_2(in0) ffn_2(n0) conv_3(in0+n1) | ...` (cells separated by `|`). */
import type { Genome } from "./types.ts";

export function describeGenome(genome: Genome): string {
  const head = genome.embeddingSize === genome.hiddenSize
    ? `E${genome.embeddingSize}=H${genome.hiddenSize}`
    : `E${genome.embeddingSize}>H${genome.hiddenSize}`;
  const cells = genome.cells.map((cell) =>
    cell.nodes.map((n) => `${n.op}(${n.inputs.join("+")})`).join(" ")
  );
  const act = genome.activation && genome.activation !== "gelu" ? ` ${genome.activation}` : "";
  return [head + act, ...cells].join(" | ");
}
