/**
 * Paths and small helpers shared by the experiment entry points (not part of lib/).
 * Every path is resolved from this file so tasks work from any working directory.
 */
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));
export const RUNS_ROOT: string = `${PROJECT_ROOT}runs`;
export const TEACHERS_ROOT: string = `${PROJECT_ROOT}data/teachers`;
export const CACHE_ROOT: string = `${PROJECT_ROOT}.cache`;

/** The command line that started this process, for manifests ("deno task x" users see in README). */
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

/** `12.3 s` / `4 min 05 s`. */
export function formatSeconds(s: number): string {
  if (s < 90) return `${s.toFixed(1)} s`;
  const whole = Math.round(s); // round first: 179.6 s is "3 min 00 s", not "2 min 60 s"
  const m = Math.floor(whole / 60);
  return `${m} min ${String(whole - 60 * m).padStart(2, "0")} s`;
}
