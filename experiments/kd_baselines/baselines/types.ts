/**
 * The contract of a KD baseline: a small declarative config (student factory + objective +
 * training settings). One file per baseline in this folder, registered in `mod.ts`.
 */
import type { BertConfig, BertModel } from "../../../lib/models/mod.ts";
import type { Classifier } from "../../../lib/models/mod.ts";
import type { ObjectiveInput } from "../../../lib/distill/mod.ts";

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

/** A BERT student config at the teacher's vocabulary, positions and labels. */
export function studentBertConfig(
  teacher: BertConfig,
  size: { layers: number; hidden: number; heads: number; intermediate: number },
): BertConfig {
  return {
    ...teacher,
    num_hidden_layers: size.layers,
    hidden_size: size.hidden,
    num_attention_heads: size.heads,
    intermediate_size: size.intermediate,
  };
}
