/**
 * The repository's folders, resolved from this file so that tasks, tests and notebooks work from
 * any working directory.
 */
import { fileURLToPath } from "node:url";

/** The repository root, with a trailing slash. */
export const PROJECT_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));
/** Bundled data sets (`data/`), with a trailing slash. */
export const DATA_ROOT: string = `${PROJECT_ROOT}data/`;
/** Run records: `runs/<experiment>/<runId>/`. */
export const RUNS_ROOT: string = `${PROJECT_ROOT}runs`;
/** Shipped teacher checkpoints: `data/teachers/<name>/{classifier,mlm}`. */
export const TEACHERS_ROOT: string = `${PROJECT_ROOT}data/teachers`;
/** The BERT uncased WordPiece vocabulary every model here uses. */
export const DEFAULT_VOCAB_PATH: string = `${DATA_ROOT}vocab/bert-base-uncased-vocab.txt`;
/** Caches that can be rebuilt (teacher outputs). */
export const CACHE_ROOT: string = `${PROJECT_ROOT}.cache`;

/** `p` relative to the project root when it lies inside it, else `p` unchanged. */
export function relativeToProject(p: string): string {
  return p.startsWith(PROJECT_ROOT) ? p.slice(PROJECT_ROOT.length) : p;
}
