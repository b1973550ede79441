/**
 * A job whose result is a keyed record of the run: run once, appended as soon as it is done, and
 * on a resumed run read back instead of redone. The experiments' job graphs (mate-kd, kdnas,
 * meta-kd) build on it; concurrent jobs with different keys are safe (appends are per line).
 */
import { readRun } from "./read.ts";
import type { Run } from "./run.ts";

export type RecordedJob = <T>(key: string, make: () => Promise<T>) => Promise<T>;

export function recordedJobs(run: Run): RecordedJob {
  const previous = new Map(
    readRun(run.dir).records.filter((r) => typeof r.key === "string").map((r) => [r.key, r]),
  );
  return async <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const prev = previous.get(key);
    if (prev) return prev.result as T;
    const result = await make();
    run.appendRecord({ key, result: result as unknown as Record<string, unknown> });
    return result;
  };
}
