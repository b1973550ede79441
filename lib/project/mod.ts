/**
 * lib/project: where things are in this repository and the defaults every task, notebook and
 * method shares (no tfjs). One definition of each:
 * - paths: the project root, `runs/`, `data/teachers/`, `.cache/`;
 * - the default teacher of a data set and the rule that finds a teacher's masked LM;
 * - the held-out split of a training split (the teacher's model selection and every search's
 *   validation use the same one);
 * - the tokenizer id of teacher-output cache keys (one spelling, so one teacher and vocabulary
 *   give one cache entry).
 */
export {
  CACHE_ROOT,
  DATA_ROOT,
  DEFAULT_VOCAB_PATH,
  PROJECT_ROOT,
  relativeToProject,
  RUNS_ROOT,
  TEACHERS_ROOT,
} from "./paths.ts";
export {
  DEFAULT_MLM_DIR,
  DEFAULT_TEACHER_DIR,
  defaultTeacherDir,
  hasMlm,
  isCheckpointDir,
  mlmDirOf,
} from "./teachers.ts";
export { heldOutOf, type HeldOutSettings } from "./held_out.ts";
export { LEGACY_TOKENIZER_PREFIXES, tokenizerId } from "./tokenizer_id.ts";
