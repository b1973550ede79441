/**
 * `deno task runs [--experiment NAME] [--root runs]`: every run with its status, start, wall
 * time and headline numbers. `deno task runs compare RUN_A RUN_B`: two runs side by side
 * (params that differ, summaries, the last value of each metric).
 * (`deno task export --mlflow` is export.ts.)
 */
import { compareRuns, listRuns, readRun, runsTable } from "../../lib/track/mod.ts";
import { parseCli, UsageError } from "../_shared/cli.ts";

const RUNS_USAGE = "deno task runs [--experiment NAME] [--root runs] | " +
  "deno task runs compare RUN_DIR_A RUN_DIR_B";

function runs(): void {
  const { values, positionals } = parseCli({
    task: "runs",
    usage: RUNS_USAGE,
    allowPositionals: true,
    options: { experiment: { type: "string" }, root: { type: "string", default: "runs" } },
  });
  if (positionals[0] === "compare") {
    if (positionals.length !== 3) {
      throw new UsageError(`compare takes two run folders, got ${positionals.length - 1}`);
    }
    console.log(compareRuns(readRun(positionals[1]), readRun(positionals[2])));
    return;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected ${positionals.join(" ")}; the only command is "compare"`);
  }
  const all = listRuns({ root: values.root, experiment: values.experiment })
    .filter((r) => !r.dir.includes("/_"));
  console.log(runsTable(all));
  console.log(`\n${all.length} runs under ${values.root}/`);
}

if (import.meta.main) runs();
