/**
 * Parameter and FLOP counts of a genome, equal to those of the model `build.ts` builds (the
 * tests compare with the built model's variables and with multiply-adds counted at run time).
 * Both count the canonical form (dead and zero nodes have no weights).
 */
import { canonicalize } from "./canonical.ts";
import { opMacs, opParams } from "./ops.ts";
import type { Genome, SizeContext } from "./types.ts";

/**
 * Trainable parameters: token + position + token-type embeddings (E each row) and their
 * LayerNorm (2E), the E -> H projection (E*H + H, only when E != H), every node's op
 * (`opParams`), one LayerNorm per cell (2H) and the classifier on the pooled vector (H*L + L).
 */
export function countParams(genome: Genome, context: SizeContext): number {
  const { vocabSize, maxPositions, numLabels, typeVocabSize = 2 } = context;
  const e = genome.embeddingSize, h = genome.hiddenSize;
  let total = (vocabSize + maxPositions + typeVocabSize) * e + 2 * e;
  if (e !== h) total += e * h + h;
  for (const cell of canonicalize(genome).cells) {
    for (const node of cell.nodes) total += opParams(node.op, h);
    total += 2 * h;
  }
  return total + h * numLabels + numLabels;
}

export interface FlopOptions {
  /** Tokens per sequence (all positions counted, padding included). */
  seqLen: number;
  /** Classifier outputs (default 2). */
  numLabels?: number;
}

/**
 * Forward multiply-adds (MACs) for ONE sequence of `seqLen` tokens. Convention: one
 * multiply-add = 1 (double it for "FLOPs" in the 2-ops-per-MAC sense); only matrix products
 * and convolution taps count (embedding projection S*E*H, each node's `opMacs`, the
 * classifier H*L); lookups, additions, norms, softmax, activations, pooling and masking do not.
 */
export function countFlops(genome: Genome, options: FlopOptions): number {
  const { seqLen, numLabels = 2 } = options;
  const e = genome.embeddingSize, h = genome.hiddenSize;
  let total = e !== h ? seqLen * e * h : 0;
  for (const cell of canonicalize(genome).cells) {
    for (const node of cell.nodes) total += opMacs(node.op, h, seqLen);
  }
  return total + h * numLabels;
}
