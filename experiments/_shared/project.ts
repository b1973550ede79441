/**
 * Small helpers of the experiment entry points (CLI concerns; not part of lib/). Paths and
 * shared defaults are lib/project's; they are re-exported here for the entry points' imports.
 */
export {
  CACHE_ROOT,
  PROJECT_ROOT,
  relativeToProject,
  RUNS_ROOT,
  TEACHERS_ROOT,
} from "../../lib/project/mod.ts";
export { formatSeconds } from "../../lib/track/mod.ts";

/**
 * The command line that started this process, for manifests
 * ("deno task x" users see in README).
 */
export function commandLine(task?: string): string {
  const args = Deno.args.join(" ");
  return task
    ? `deno task ${task}${args ? " " + args : ""}`
    : `deno run ${Deno.mainModule} ${args}`;
}

/** Reads the ROSEARCH_BUDGET environment variable ("ci" | "default"), if the permission allows. */
export function budgetFromEnv(): "ci" | "default" {
  try {
    const v = Deno.env.get("ROSEARCH_BUDGET");
    if (v === undefined || v === "" || v === "default") return "default";
    if (v === "ci") return "ci";
    throw new RangeError(`ROSEARCH_BUDGET must be "ci" or "default", got ${JSON.stringify(v)}`);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return "default";
    }
    throw e;
  }
}

/** A command-line count: an integer >= 1, or a RangeError naming the flag. */
export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`--${flag}: expected N >= 1, got ${value}`);
  }
  return n;
}
