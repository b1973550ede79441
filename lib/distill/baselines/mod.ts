/**
 * The KD baselines (PKD-, TinyBERT-, DistilBERT-style and a BiLSTM), declarative configs: student
 * factory, objective, teacher source and training settings. Registered in run order; add a file
 * to this folder and a line here. Used by `deno task kd-baselines` and by a search's final
 * comparison (lib/pipeline), which trains them under the searched students' budget.
 */
import type { Baseline } from "./types.ts";
import { pkd } from "./pkd.ts";
import { tinybert } from "./tinybert.ts";
import { distilbert, halfDepthStudent } from "./distilbert.ts";
import { bilstm } from "./bilstm.ts";

export type { Baseline, TeacherSourceSpec } from "./types.ts";
export { FACTORISED_EMBEDDING_SIZE, studentBertConfig } from "./types.ts";
export { initFromTeacher } from "./_init_from_teacher.ts";
export { TINYBERT_SIZE } from "./tinybert.ts";
export { bilstm, distilbert, halfDepthStudent, pkd, tinybert };

export const BASELINES: readonly Baseline[] = [pkd, tinybert, distilbert, bilstm];

/** The baselines named in `names` (all when absent), in registry order; unknown names throw. */
export function selectBaselines(names?: readonly string[]): Baseline[] {
  if (!names) return [...BASELINES];
  const unknown = names.filter((n) => !BASELINES.some((b) => b.name === n));
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown baseline(s) ${unknown.join(", ")}; allowed: ${
        BASELINES.map((b) => b.name).join(", ")
      }`,
    );
  }
  return BASELINES.filter((b) => names.includes(b.name));
}
