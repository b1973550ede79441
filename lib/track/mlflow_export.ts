/**
 * Writes a run as an MLflow file store (`mlruns/` layout), so `mlflow ui --backend-store-uri
 * <out>` can browse the platform's runs. The layout, as MLflow's FileStore reads it:
 * ```
 * <out>/<experiment id>/meta.yaml           artifact_location, creation_time, experiment_id,
 *                                           last_update_time, lifecycle_stage, name
 * <out>/<experiment id>/<run id>/meta.yaml  artifact_uri, end_time, entry_point_name,
 *                                           experiment_id, lifecycle_stage, run_id, run_name,
 *                                           run_uuid, source_name, source_type, source_version,
 *                                           start_time, status, tags, user_id
 *   params/<key>      the value as text
 *   metrics/<key>     one line per logged value: "<timestamp ms> <value> <step>"
 *   tags/<key>        the value as text (mlflow.runName, mlflow.source.git.commit, ...)
 *   artifacts/        run.json, records.jsonl, metrics.jsonl, the run's artifacts/ and charts/
 * <out>/0/meta.yaml                         MLflow's "Default" experiment (the UI expects it)
 * ```
 * Mapping (ours → MLflow): the experiment name → an experiment whose id is a stable number from
 * the name (so runs of one experiment land together); the run → a run whose 32-hex id is a hash
 * of `<experiment>/<runId>` (exporting again overwrites it); nested params → dotted keys; a
 * metric's context → path segments of its key (`accuracy/split_dev/attack_pwws`: MLflow metrics
 * have no context); a metric without a step → step 0, as MLflow; NaN/±Infinity as MLflow writes
 * them (nan, inf, -inf); status finished / failed / interrupted / running → FINISHED (3) /
 * FAILED (4) / KILLED (5) / RUNNING (1). Param values over 6,000 characters (MLflow's limit)
 * are cut and the cut is tagged. Checked against this format in mlflow_export_test.ts (MLflow
 * itself is not installed here).
 */
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { readRun } from "./read.ts";
import type { RunStatus } from "./schema.ts";

const STATUS: Record<RunStatus, number> = { running: 1, finished: 3, failed: 4, interrupted: 5 };
export const MLFLOW_PARAM_LIMIT = 6000;

export interface MlflowExport {
  experimentId: string;
  runId: string;
  runDir: string;
  params: number;
  metrics: number;
  metricValues: number;
  artifacts: number;
}

/** A YAML scalar: numbers as is, strings double-quoted (JSON strings are valid YAML). */
function yaml(fields: Record<string, string | number | null | unknown[]>): string {
  return Object.entries(fields).map(([k, v]) =>
    `${k}: ${
      v === null
        ? "null"
        : typeof v === "number"
        ? String(v)
        : Array.isArray(v)
        ? JSON.stringify(v)
        : JSON.stringify(v)
    }`
  ).join("\n") + "\n";
}

/** A key MLflow accepts: letters, digits, _ - . space and / (as its validation). */
export function mlflowKey(s: string): string {
  return s.replace(/[^A-Za-z0-9_\-. /]/g, "_");
}

export function experimentIdOf(name: string): string {
  const h = createHash("sha256").update(name).digest();
  return String(100000000 + (h.readUInt32BE(0) % 900000000)); // 9 digits, never "0"
}

function flatten(prefix: string, v: unknown, out: Map<string, string>): void {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else out.set(prefix, typeof v === "string" ? v : JSON.stringify(v));
}

function number(v: number): string {
  return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
}

function writeFile(path: string, text: string): void {
  Deno.mkdirSync(join(path, ".."), { recursive: true });
  Deno.writeTextFileSync(path, text);
}

function copyTree(from: string, to: string): number {
  let n = 0;
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(from)];
  } catch {
    return 0;
  }
  Deno.mkdirSync(to, { recursive: true });
  for (const e of entries) {
    if (e.isDirectory) n += copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile) {
      Deno.copyFileSync(join(from, e.name), join(to, e.name));
      n++;
    }
  }
  return n;
}

/** Exports the run folder `runDir` into the MLflow store at `out` (created if needed). */
export function exportMlflow(runDir: string, out: string): MlflowExport {
  const run = readRun(runDir);
  const info = run.info;
  const experimentId = experimentIdOf(info.experiment);
  const runId = createHash("sha256").update(`${info.experiment}/${info.runId}`).digest("hex")
    .slice(0, 32);
  const root = resolve(out);
  const expDir = join(root, experimentId);
  const dir = join(expDir, runId);
  const start = Date.parse(info.start), end = info.end ? Date.parse(info.end) : null;
  const uri = (p: string) => `file://${p}`;
  const defaultMeta = join(root, "0", "meta.yaml");
  try {
    Deno.statSync(defaultMeta);
  } catch {
    writeFile(
      defaultMeta,
      yaml({
        artifact_location: uri(join(root, "0")),
        creation_time: start,
        experiment_id: "0",
        last_update_time: start,
        lifecycle_stage: "active",
        name: "Default",
      }),
    );
  }
  writeFile(
    join(expDir, "meta.yaml"),
    yaml({
      artifact_location: uri(expDir),
      creation_time: start,
      experiment_id: experimentId,
      last_update_time: end ?? start,
      lifecycle_stage: "active",
      name: info.experiment,
    }),
  );
  try {
    Deno.removeSync(dir, { recursive: true }); // a re-export replaces the run
  } catch { /* first export */ }
  writeFile(
    join(dir, "meta.yaml"),
    yaml({
      artifact_uri: uri(join(dir, "artifacts")),
      end_time: end,
      entry_point_name: "",
      experiment_id: experimentId,
      lifecycle_stage: "active",
      run_id: runId,
      run_name: info.runId,
      run_uuid: runId,
      source_name: "",
      source_type: 4,
      source_version: info.git.commit,
      start_time: start,
      status: STATUS[info.status],
      tags: [],
      user_id: "rosearch",
    }),
  );
  // params (the run's params, seed), cut at MLflow's limit
  const params = new Map<string, string>();
  flatten("", info.params, params);
  params.set("seed", String(info.seed));
  const cut: string[] = [];
  for (const [k, v] of params) {
    const key = mlflowKey(k);
    if (v.length > MLFLOW_PARAM_LIMIT) cut.push(key);
    writeFile(join(dir, "params", key), v.slice(0, MLFLOW_PARAM_LIMIT));
  }
  // metrics: one file per name and context
  const series = new Map<string, string[]>();
  for (const m of run.metrics) {
    const ctx = Object.entries(m.context).sort(([a], [b]) => a < b ? -1 : 1)
      .map(([k, v]) => `${k}_${v}`);
    const key = mlflowKey([m.name, ...ctx].join("/"));
    const lines = series.get(key) ?? [];
    lines.push(`${Date.parse(m.time)} ${number(m.value)} ${Math.round(m.step ?? 0)}`);
    series.set(key, lines);
  }
  for (const [key, lines] of series) writeFile(join(dir, "metrics", key), lines.join("\n") + "\n");
  // tags
  const tags: Record<string, string> = {
    "mlflow.runName": info.runId,
    "mlflow.source.name": info.experiment,
    "mlflow.source.type": "LOCAL",
    "mlflow.source.git.commit": info.git.commit,
    "mlflow.user": "rosearch",
    "rosearch.status": info.status,
    "rosearch.run_dir": runDir,
    ...(info.summary ? { "mlflow.note.content": JSON.stringify(info.summary, null, 1) } : {}),
    ...(cut.length ? { "rosearch.params_cut": cut.join(",") } : {}),
    ...(run.problems.length ? { "rosearch.problems": run.problems.join("\n") } : {}),
  };
  for (const [k, v] of Object.entries(tags)) writeFile(join(dir, "tags", k), v);
  // artifacts
  let artifacts = 0;
  for (const f of ["run.json", "records.jsonl", "metrics.jsonl"]) {
    try {
      Deno.mkdirSync(join(dir, "artifacts"), { recursive: true });
      Deno.copyFileSync(join(runDir, f), join(dir, "artifacts", f));
      artifacts++;
    } catch { /* a run without records */ }
  }
  artifacts += copyTree(join(runDir, "artifacts"), join(dir, "artifacts", "artifacts"));
  artifacts += copyTree(join(runDir, "charts"), join(dir, "artifacts", "charts"));
  return {
    experimentId,
    runId,
    runDir: dir,
    params: params.size,
    metrics: series.size,
    metricValues: run.metrics.length,
    artifacts,
  };
}
