import type { OpName } from "./ops.ts";

/**
 * A reference to a node's input inside a cell: `"in0"` = the previous cell's output (the
 * embedding output for cell 0), `"in1"` = the output of the cell before that (the embedding
 * output for cell 1; absent in cell 0 and when the space has `cellInputs: 1`), `"n<j>"` = the
 * output of node j of the same cell (only earlier nodes).
 */
export type InputRef = `in${number}` | `n${number}`;

/** One node of a cell: `op(sum of its inputs)`. One or two distinct inputs. */
export interface NodeGene {
  op: OpName;
  inputs: InputRef[];
}

/**
 * A cell: a DAG of nodes. Its output is `LayerNorm(in0 + sum of the nodes that no other
 * node of the cell consumes)` (residual + LayerNorm). Zero semantics: a `zero` node outputs
 * zeros, a node whose inputs are all zero nodes is itself zero, and zero inputs drop out of
 * sums (this is what `canonicalize` and the builder implement).
 */
export interface CellGene {
  nodes: NodeGene[];
}

/**
 * The student genome (plain JSON). Embeddings have width `embeddingSize`; when it differs
 * from `hiddenSize` a linear projection maps it to `hiddenSize` (ALBERT-style factorisation).
 */
export interface Genome {
  embeddingSize: number;
  hiddenSize: number;
  cells: CellGene[];
  /**
   * The feed-forward ops' activation (KD-NAS's space chooses it, kdnas_space.ts); absent = GELU,
   * as in every RoSearch genome. "gelu" and absent are the same genome (same hash).
   */
  activation?: FfnActivation;
}

export type FfnActivation = "gelu" | "relu";

/** What parameter counts depend on besides the genome. */
export interface SizeContext {
  /** Vocabulary rows of the token embedding (full BERT: 30,522). */
  vocabSize: number;
  /** Position embedding rows (longest sequence the model accepts). */
  maxPositions: number;
  numLabels: number;
  /** Token-type (segment) embedding rows; BERT uses 2. */
  typeVocabSize?: number;
}

/** Size bounds of the search: students must compress a teacher by a ratio in [min, max]. */
export interface CompressionBounds {
  /** Teacher parameter count (an input: counted from the real teacher, never hard-coded). */
  teacherParams: number;
  minRatio: number;
  maxRatio: number;
}

/** The choices the search may make. See `space.ts` for defaults. */
export interface SearchSpaceConfig {
  embeddingSizes: number[];
  hiddenSizes: number[];
  minCells: number;
  maxCells: number;
  minNodes: number;
  maxNodes: number;
  /** How many earlier cell outputs a node may read: 1 (previous) or 2 (previous two). */
  cellInputs: 1 | 2;
  /** Most inputs per node (1 or 2). */
  maxNodeInputs: 1 | 2;
  ops: OpName[];
  /** Used to count parameters for compression bounds and statistics. */
  sizeContext: SizeContext;
  /** If set, sampled / mutated / crossed genomes stay inside these ratios. */
  compression?: CompressionBounds;
}
