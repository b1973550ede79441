/**
 * What the distillation loop asks of an input perturbation that trains alongside the student
 * (MATE-KD's generator; later L2A's augmenter): before each student step it may update itself
 * and returns this step's perturbed inputs, and the loop adds
 *   weight · softCE_{T=1}(S(x'), T(x'))
 * (the teacher-student divergence on the perturbed batch, MATE-KD's third term) to the loss.
 * One loop, one place where the term is computed (lib/distill distill.ts).
 */
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier, WordReplacement } from "../models/mod.ts";

export interface AugmenterContext {
  /** The student step about to run (1-based). */
  step: number;
  batch: EncodedBatch;
  /** This epoch's training batches (an augmenter may train itself on some of them). */
  pool: readonly EncodedBatch[];
  teacher: Classifier;
  student: Classifier;
}

export interface DistillAugmenter {
  readonly name: string;
  /** Weight of the divergence on the perturbed batch in the student's loss. */
  readonly weight: number;
  /**
   * Whether the teacher sees x' too (default true: D(T(x'), S(x'))); false for perturbations
   * in the student's own embedding space (D(T(x), S(x')), e.g. PGD on its word vectors).
   */
  readonly teacherSees?: boolean;
  /** This step's perturbation of `ctx.batch` (the loop disposes its tensors), or null. */
  prepare(ctx: AugmenterContext): WordReplacement | null;
  /** Extra values for this step's loss curve (e.g. the generator's last divergence). */
  parts?(): Record<string, number>;
  /** Frees the augmenter's own state (optimizer slots); not the models. */
  dispose(): void;
}
