import { fileURLToPath } from "node:url";

/**
 * The project's data folder, resolved relative to this module (`<repo>/data/`), so it works from
 * notebooks, tests and experiments alike. Callers can always pass an explicit path instead.
 */
export const DATA_ROOT: string = fileURLToPath(new URL("../../data/", import.meta.url));

/** `DATA_ROOT` joined with a relative path such as `synonyms/ppdb_synonyms.txt`. */
export function dataPath(relative: string): string {
  return DATA_ROOT + relative;
}
