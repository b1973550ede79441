/**
 * Robust KD as a training option of every student (issue 15): `kd` in the training settings
 * (`TrainSettings.kd`, `deno task kd-baselines --kd`, RoSearch candidates and its final stage)
 * picks the perturbation term the one distillation loop adds (lib/distill augmenters):
 * - `plain` (default): none; the settings' own objective only;
 * - `random-token`: + 1/3 D(T(x'), S(x')), x' = 30% random tokens (EDA-style, random_token_kd.ts);
 * - `embedding-pgd`: + 1/3 D(T(x), S(x + delta)), PGD on the student's word vectors;
 * - `mate`: + 1/3 D(T(x'), S(x')), x' from the MATE-KD generator (the teacher's masked LM).
 * Every mode but `plain` needs the live teacher (the perturbed text has no cached outputs), so a
 * run with one costs a teacher forward pass per student step more than a cached run.
 */
import { readVocab } from "../data/mod.ts";
import { type DistillAugmenter, embeddingPgdKd, mateKd, randomTokenKd } from "../distill/mod.ts";
import { type BertModel, loadCheckpoint } from "../models/mod.ts";
import { DEFAULT_VOCAB_PATH, hasMlm, mlmDirOf, relativeToProject } from "../project/mod.ts";

import { KD_MODES, type KdMode } from "./settings.ts";

export { KD_MODES, type KdMode };

/** Throws a RangeError naming `where` and the allowed modes unless `kd` is one. */
export function checkKdMode(kd: unknown, where = "kd"): KdMode {
  if (!(KD_MODES as readonly unknown[]).includes(kd)) {
    throw new RangeError(`${where}: unknown KD mode "${kd}"; allowed: ${KD_MODES.join(", ")}`);
  }
  return kd as KdMode;
}

export interface KdAugmenter {
  augmenter: DistillAugmenter;
  /** Disposes the augmenter and what it loaded (the MATE-KD generator). */
  dispose(): void;
}

/**
 * The augmenter of `kd` (null for `plain`). `mate` loads the masked LM saved beside the teacher
 * (`<teacher>/../mlm`) and fails with the folder it looked in when there is none; its generator
 * learning rate follows the student's (MATE-KD: far below it).
 */
export async function kdAugmenter(
  kd: KdMode,
  o: { teacherDir: string; studentLearningRate: number; seed: number },
): Promise<KdAugmenter | null> {
  checkKdMode(kd);
  if (kd === "plain") return null;
  if (kd === "random-token") {
    const augmenter = randomTokenKd({ vocab: await readVocab(DEFAULT_VOCAB_PATH), seed: o.seed });
    return { augmenter, dispose: () => augmenter.dispose() };
  }
  if (kd === "embedding-pgd") {
    const augmenter = embeddingPgdKd({ seed: o.seed });
    return { augmenter, dispose: () => augmenter.dispose() };
  }
  if (!hasMlm(o.teacherDir)) {
    throw new TypeError(
      `kd "mate" needs the teacher's masked LM for its generator; none in ${
        relativeToProject(mlmDirOf(o.teacherDir))
      } (deno task teacher trains one with its --stage mlm; or use another kd mode)`,
    );
  }
  const generator = (await loadCheckpoint(mlmDirOf(o.teacherDir))).model as BertModel;
  const augmenter = mateKd({
    generator,
    vocab: await readVocab(DEFAULT_VOCAB_PATH),
    studentLearningRate: o.studentLearningRate,
    seed: o.seed,
  });
  return {
    augmenter,
    dispose: () => {
      augmenter.dispose();
      generator.dispose();
    },
  };
}
