/**
 * The command line every experiment job graph shares (mate-kd, meta-kd, adabert): its own
 * options plus `--quick`, `--resume RUN_DIR`, `--out DIR` and `--help`; a new run is created
 * with the parameters `build` makes, a resumed one reads its parameters back (a resumed run
 * always continues with the settings it started with).
 */
import type { ParseArgsConfig } from "node:util";
import { createRun, repairLines, resumeRun, type Run } from "../../lib/track/mod.ts";
import { failRunOn, parseCli } from "./cli.ts";
import { budgetFromEnv, PROJECT_ROOT } from "./project.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ExperimentArgs {
  /** The task's own option values (strings and booleans as parsed). */
  values: Record<string, string | boolean | undefined>;
  /** `--quick` or ROSEARCH_BUDGET=ci. */
  quick: boolean;
  out?: string;
}

export async function openExperiment<P extends { seed: number }>(
  name: string,
  usage: string,
  options: Options,
  build: (a: ExperimentArgs) => P,
): Promise<{ run: Run; p: P }> {
  const { values } = parseCli({
    task: name.replaceAll("_", "-"),
    usage,
    options: {
      ...options,
      quick: { type: "boolean", default: false },
      resume: { type: "string" },
      out: { type: "string" },
    },
  });
  if (typeof values.resume === "string") {
    const run = await resumeRun(values.resume, { repoDir: PROJECT_ROOT });
    failRunOn(run);
    reportRepairs(run);
    return { run, p: run.info.params as unknown as P };
  }
  const p = build({
    values: values as ExperimentArgs["values"],
    quick: values.quick === true || budgetFromEnv() === "ci",
    ...(typeof values.out === "string" ? { out: values.out } : {}),
  });
  const run = await createRun(name, {
    params: p as unknown as Record<string, unknown>,
    seed: p.seed,
  });
  failRunOn(run);
  return { run, p };
}

/** Prints what resuming `run` repaired (a torn last record line, ...), if anything. */
export function reportRepairs(run: Run): void {
  for (const line of repairLines(run.info.history)) console.log(`repaired ${line}`);
}
