/** Reading and atomically writing run.json (private to lib/track). */
import { join } from "node:path";
import { describeZodError, type RunInfo, RunInfoSchema } from "./schema.ts";

export const RUN_FILE = "run.json";

/** Reads and validates `dir/run.json`; errors name the file and the bad field. */
export function readRunInfo(dir: string): RunInfo {
  const path = join(dir, RUN_FILE);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read run at ${dir}: ${RUN_FILE} not found (is this a run folder?)`);
    }
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot read ${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = RunInfoSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TypeError(`Cannot read ${path}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}

/** Writes `dir/run.json` through a temporary file and a rename, so it is never half-written. */
export function writeRunInfo(dir: string, info: RunInfo, options: { fsync?: boolean } = {}): void {
  const path = join(dir, RUN_FILE);
  const tmp = `${path}.tmp`;
  const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  try {
    const bytes = new TextEncoder().encode(JSON.stringify(info, null, 2) + "\n");
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    if (options.fsync) file.syncSync();
  } finally {
    file.close();
  }
  Deno.renameSync(tmp, path);
}

/** Deno's versions plus the tfjs version pinned in the import map (read without importing tfjs). */
export function detectVersions(): Record<string, string> {
  const versions: Record<string, string> = {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  };
  try {
    const m = /tfjs@(\d[^/_]*)/.exec(import.meta.resolve("@tensorflow/tfjs"));
    if (m) versions.tfjs = m[1];
  } catch { /* not in the import map: the caller passes versions.tfjs */ }
  return versions;
}
