/**
 * lib/track: run records. Every experiment step writes here; notebooks read it back.
 *
 * ## On-disk format (the notebooks' data source)
 * ```
 * <root>/<experiment>/<runId>/      root defaults to "runs"; runId defaults to UTC
 *   run.json                         "YYYYMMDD-HHMMSS-mmm" (+ "-1", "-2"... if taken)
 *   metrics.jsonl
 *   records.jsonl
 *   artifacts/   checkpoints, caches, tables (any files; names may have "/" sub-folders)
 *   charts/      rendered charts (SVG, HTML)
 * ```
 * **run.json** (rewritten atomically: temporary file + rename; validated with zod on read):
 * ```
 * { "format": 1, "experiment": "rosearch_sst2", "runId": "20251122-035107-123",
 *   "params": {...}, "seed": 42,
 *   "git": { "commit": "<40 hex>" | "unknown", "ref": "refs/heads/main" | null },
 *   "versions": { "deno": "2.9.6", "v8": "...", "typescript": "...", "tfjs": "4.22.0" },
 *   "backend": {...} | null,
 *   "start": ISO time, "end": ISO time | null,
 *   "status": "running" | "finished" | "failed" | "interrupted",
 *   "summary": {...} | null,
 *   "history": [ { "event": "created" | "resumed" | "status" | "finished", "time": ISO,
 *                  "status": ..., "previousStatus"?: ..., "commit"?: "<hex>",
 *                  "repairs"?: [ { "file", "line", "action": "dropped" | "completed",
 *                                  "bytes" } ] } ] }
 * ```
 * A run still "running" with no live process was killed; resuming it records
 * `previousStatus: "running"` in the history.
 *
 * **metrics.jsonl**, one JSON object per line:
 * `{"name":"acc","value":0.91,"step":3,"context":{"split":"dev","attack":"textfooler"},"time":ISO}`
 * `step` is null when not given, `context` is `{}` when not given; NaN / ±Infinity values are
 * written as the strings "NaN", "Infinity", "-Infinity" and read back as numbers.
 *
 * **records.jsonl**, one JSON object per line, as given by the caller (per example, per
 * candidate). An optional string `key` identifies work done: `resumeRun(...).completedKeys()`
 * returns the keys so a resumed run skips them, and a key cannot be appended twice.
 * (NaN inside records becomes null, as JSON.stringify does.)
 *
 * ## Durability
 * Each line is written with one append-mode write and the file closed before the call returns,
 * so it is in the OS (it survives a SIGKILL of the process). Measured here: ~5 µs per line;
 * with `fsync: true` (survives power loss too) ~200 µs per line. A kill can at worst leave a
 * torn final line; `readRun` reports it as a problem and `resumeRun` truncates it away (noted in
 * the history) before anything else is appended, so it is never merged with a later line.
 *
 * ## Limits
 * - The git commit is read from `.git` files without running git, so a dirty working tree is
 *   not detected.
 * - Nothing stops two processes from appending to the same run at once; do not do that.
 * - No signal handling is installed: call `run.setStatus("interrupted")` from your own handler.
 *
 * @example
 * ```ts
 * const run = await createRun("rosearch_sst2", { params: config, seed: 42 });
 * run.logMetric("acc", 0.91, { step: 3, context: { split: "dev" } });
 * run.appendRecord({ key: genomeHash, accuracy: 0.91, params: 4.3e6 });
 * run.finish("finished", { best: genomeHash });
 * const { metrics, records, problems } = readRun(run.dir);
 * ```
 */
export {
  createRun,
  type CreateRunOptions,
  type LogOptions,
  resumeRun,
  type ResumeRunOptions,
  Run,
  type RunRef,
} from "./run.ts";
export {
  listRuns,
  type ListRunsOptions,
  type MetricPoint,
  metricSeries,
  readRun,
  type RunData,
  type RunSummary,
} from "./read.ts";
export {
  type ContextValue,
  type HistoryEntry,
  type Metric,
  type MetricContext,
  RUN_STATUSES,
  type RunInfo,
  RunInfoSchema,
  type RunStatus,
} from "./schema.ts";
export { type GitInfo, readGitInfo } from "./_git.ts";
export { formatSeconds } from "./format_seconds.ts";
export { type HistoryEvent, invocationTimes, repairLines, resumeNote } from "./invocations.ts";
export { type RecordedJob, recordedJobs } from "./recorded_job.ts";
export {
  experimentIdOf,
  exportMlflow,
  MLFLOW_PARAM_LIMIT,
  type MlflowExport,
  mlflowKey,
} from "./mlflow_export.ts";
export { compareRuns, headline, runsTable } from "./runs_table.ts";
