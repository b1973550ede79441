/**
 * `deno task export --mlflow RUN_DIR OUT`: the run as an MLflow file store (lib/track
 * mlflow_export.ts) for `mlflow ui --backend-store-uri OUT`; several runs exported into one OUT
 * share it (one MLflow experiment per platform experiment).
 */
import { exportMlflow } from "../../lib/track/mod.ts";
import { parseCli, UsageError } from "../_shared/cli.ts";

const EXPORT_USAGE = "deno task export --mlflow RUN_DIR OUT  (writes OUT/<experiment id>/...)";

function exportRun(): void {
  const { values, positionals } = parseCli({
    task: "export",
    usage: EXPORT_USAGE,
    allowPositionals: true,
    options: { mlflow: { type: "boolean", default: false } },
  });
  if (!values.mlflow) throw new UsageError("--mlflow is the only export format; give --mlflow");
  if (positionals.length !== 2) {
    throw new UsageError(`expected RUN_DIR and OUT, got ${positionals.length} arguments`);
  }
  const e = exportMlflow(positionals[0], positionals[1]);
  console.log(
    `exported ${positionals[0]} to ${e.runDir}: ${e.params} params, ${e.metrics} metrics ` +
      `(${e.metricValues} values), ${e.artifacts} artifacts\n` +
      `browse: mlflow ui --backend-store-uri ${positionals[1]}`,
  );
}

if (import.meta.main) exportRun();
