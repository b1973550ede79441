/**
 * The default teachers and the one rule that finds a teacher's masked LM (BAE's candidates, the
 * MLM-based constraints and generators).
 */
import { dirname, isAbsolute } from "node:path";
import { PROJECT_ROOT, TEACHERS_ROOT } from "./paths.ts";

/** `data/teachers/<dataset>_bert_l4_h256/classifier`. */
export function defaultTeacherDir(dataset = "sst2"): string {
  return `${TEACHERS_ROOT}/${dataset}_bert_l4_h256/classifier`;
}

/** The default SST-2 teacher classifier (80.05% SST-2 dev; data/teachers/README.md). */
export const DEFAULT_TEACHER_DIR: string = defaultTeacherDir("sst2");
/** The project's masked LM (data/teachers/README.md). */
export const DEFAULT_MLM_DIR: string = `${TEACHERS_ROOT}/sst2_bert_l4_h256/mlm`;

/** True when `dir` holds a lib/models checkpoint (a `manifest.json` file). */
export function isCheckpointDir(dir: string): boolean {
  try {
    return Deno.statSync(`${dir}/manifest.json`).isFile;
  } catch {
    return false;
  }
}

/**
 * The teacher's masked-LM folder: `<teacher>/../mlm` when it holds a checkpoint (teacher training
 * saves it there), else the MLM named by the classifier manifest's `metrics.initialisedFrom`
 * (relative to the project root; written by `deno task teacher --from-mlm`) when that holds one,
 * else the `../mlm` path, which does not exist (`hasMlm` is then false).
 */
export function mlmDirOf(teacherDir: string): string {
  const next = `${dirname(teacherDir)}/mlm`;
  if (isCheckpointDir(next)) return next;
  try {
    const m = JSON.parse(Deno.readTextFileSync(`${teacherDir}/manifest.json`));
    const from = m?.metrics?.initialisedFrom;
    if (typeof from === "string" && from.length > 0) {
      const dir = isAbsolute(from) ? from : `${PROJECT_ROOT}${from}`;
      if (isCheckpointDir(dir)) return dir;
    }
  } catch {
    // no readable manifest: fall through
  }
  return next;
}

/** True when the teacher has a masked LM (`mlmDirOf` finds a checkpoint). */
export function hasMlm(teacherDir: string): boolean {
  return isCheckpointDir(mlmDirOf(teacherDir));
}
