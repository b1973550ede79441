/**
 * The contract of a KD baseline: a small declarative config (student factory + objective +
 * training settings). One file per baseline in this folder, registered in `mod.ts`.
 */
import type { BertConfig, BertModel } from "../../models/mod.ts";
import type { Classifier } from "../../models/mod.ts";
import type { ObjectiveInput } from "../objective.ts";

/** Where the teacher's targets come from during training. */
export type TeacherSourceSpec =
  /** The teacher-output cache: logits, plus [CLS] states of these teacher layers. */
  | { source: "cache"; clsLayers: number[] }
  /** The live teacher (attention maps or every token's hidden state are needed). */
  | { source: "live" };

export interface Baseline {
  /** Identifier used by `--only` and as the results folder name. */
  name: string;
  /** Short style label for the table, e.g. "BERT-PKD (Sun et al. 2019)". */
  style: string;
  /** How the student starts, for tables ("random", or which teacher weights it copies). */
  initialisation?: string;
  /** Builds the student for this teacher; may copy teacher weights (PKD, DistilBERT). */
  createStudent(teacher: BertModel, options: { seed: number }): Classifier;
  /** The distillation objective for this teacher's config. */
  objective(teacher: BertConfig): ObjectiveInput;
  teacher: TeacherSourceSpec;
  /** Peak learning rate (AdamW, linear warmup/decay). */
  learningRate: number;
  /** Examples per batch (default 32). */
  batchSize?: number;
  /**
   * Updates in the default budget (batch 32), chosen from measured ms/step so that all
   * baselines together fit about 25 minutes on one core (see main.ts).
   */
  defaultMaxSteps: number;
}

/**
 * Word-table width of the teacher-width baselines (PKD, DistilBERT): an ALBERT-style factorised
 * table [vocab, 16] + a 16 -> hidden projection, initialised from the teacher's table by its best
 * rank-16 approximation (lib/models/factorise.ts). With the default teacher this puts the 2-layer
 * teacher-width students at about 5.1x instead of 1.17x (the full 30,522 x 256 table alone is 70%
 * of the teacher, so no teacher-width student could pass 1.43x without it).
 */
export const FACTORISED_EMBEDDING_SIZE = 16;

/** A BERT student config at the teacher's vocabulary, positions, labels and pooling. */
export function studentBertConfig(
  teacher: BertConfig,
  size: {
    layers: number;
    hidden: number;
    heads: number;
    intermediate: number;
    /** Factorised word-table width (config embedding_size); omitted = the student's hidden size. */
    embedding?: number;
  },
): BertConfig {
  return {
    ...teacher,
    num_hidden_layers: size.layers,
    hidden_size: size.hidden,
    num_attention_heads: size.heads,
    intermediate_size: size.intermediate,
    embedding_size: size.embedding !== undefined && size.embedding < size.hidden
      ? size.embedding
      : null,
  };
}
