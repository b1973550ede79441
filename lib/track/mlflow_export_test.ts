import assert from "node:assert/strict";
import { join } from "node:path";
import { createRun } from "./run.ts";
import { readRun } from "./read.ts";
import { experimentIdOf, exportMlflow, MLFLOW_PARAM_LIMIT } from "./mlflow_export.ts";
import { compareRuns, runsTable } from "./runs_table.ts";
import { listRuns } from "./read.ts";

/** The `key: value` lines of a flat meta.yaml (what this exporter writes), values parsed. */
function readMeta(path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of Deno.readTextFileSync(path).trim().split("\n")) {
    const m = /^([a-z_]+): (.*)$/.exec(line);
    assert.ok(m, `${path}: not "key: value": ${line}`);
    out[m[1]] = JSON.parse(m[2]);
  }
  return out;
}

// The fields MLflow's FileStore reads from meta.yaml (RunInfo and Experiment entities).
const RUN_FIELDS = [
  "artifact_uri",
  "end_time",
  "entry_point_name",
  "experiment_id",
  "lifecycle_stage",
  "run_id",
  "run_name",
  "run_uuid",
  "source_name",
  "source_type",
  "source_version",
  "start_time",
  "status",
  "tags",
  "user_id",
];
const EXPERIMENT_FIELDS = [
  "artifact_location",
  "creation_time",
  "experiment_id",
  "last_update_time",
  "lifecycle_stage",
  "name",
];

Deno.test("exportMlflow: the mlruns layout MLflow's file store reads", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mlflow_" });
  const long = "x".repeat(MLFLOW_PARAM_LIMIT + 10);
  const run = await createRun("kd_demo", {
    params: { lr: 1e-4, model: { hidden: 64, kind: "bert" }, long },
    seed: 3,
    root: join(tmp, "runs"),
  });
  run.logMetric("loss", 0.5, { step: 1 });
  run.logMetric("loss", NaN, { step: 2 });
  run.logMetric("accuracy", 0.8, { context: { split: "dev", attack: "pwws" } });
  run.appendRecord({ key: "a", v: 1 });
  run.writeArtifact("table.json", { ok: true });
  Deno.writeTextFileSync(run.chartPath("c.svg"), "<svg/>");
  run.finish("finished", { accuracy: 0.8 });

  const out = join(tmp, "mlruns");
  const e = exportMlflow(run.dir, out);
  assert.match(e.runId, /^[0-9a-f]{32}$/);
  assert.equal(e.experimentId, experimentIdOf("kd_demo"));
  const exp = readMeta(join(out, e.experimentId, "meta.yaml"));
  assert.deepEqual(Object.keys(exp).sort(), EXPERIMENT_FIELDS);
  assert.equal(exp.name, "kd_demo");
  assert.equal(exp.experiment_id, e.experimentId);
  assert.equal(readMeta(join(out, "0", "meta.yaml")).name, "Default");
  const meta = readMeta(join(e.runDir, "meta.yaml"));
  assert.deepEqual(Object.keys(meta).sort(), RUN_FIELDS);
  assert.equal(meta.run_id, e.runId);
  assert.equal(meta.run_uuid, e.runId);
  assert.equal(meta.status, 3); // RunStatus.FINISHED
  assert.equal(meta.lifecycle_stage, "active");
  assert.ok(Number.isInteger(meta.start_time) && Number.isInteger(meta.end_time));
  assert.equal(meta.artifact_uri, `file://${join(e.runDir, "artifacts")}`);

  // params: one file per dotted key, the value as text, cut at MLflow's limit (tagged)
  const param = (k: string) => Deno.readTextFileSync(join(e.runDir, "params", k));
  assert.equal(param("lr"), "0.0001");
  assert.equal(param("model.hidden"), "64");
  assert.equal(param("model.kind"), "bert");
  assert.equal(param("seed"), "3");
  assert.equal(param("long").length, MLFLOW_PARAM_LIMIT);
  assert.equal(Deno.readTextFileSync(join(e.runDir, "tags", "rosearch.params_cut")), "long");

  // metrics: "<timestamp ms> <value> <step>" lines, as FileStore._get_metric_from_line parses
  const metric = (k: string) =>
    Deno.readTextFileSync(join(e.runDir, "metrics", k)).trim().split("\n").map((l) => {
      const parts = l.split(" ");
      assert.equal(parts.length, 3, l);
      assert.ok(/^\d+$/.test(parts[0]) && /^-?\d+$/.test(parts[2]), l);
      assert.ok(/^(nan|-?inf|-?[\d.e+-]+)$/.test(parts[1]), l);
      return parts;
    });
  assert.deepEqual(metric("loss").map((p) => [p[1], p[2]]), [["0.5", "1"], ["nan", "2"]]);
  assert.deepEqual(metric("accuracy/attack_pwws/split_dev").map((p) => [p[1], p[2]]), [[
    "0.8",
    "0",
  ]]);

  // tags and artifacts
  const tag = (k: string) => Deno.readTextFileSync(join(e.runDir, "tags", k));
  assert.equal(tag("mlflow.runName"), run.info.runId);
  assert.equal(tag("mlflow.source.git.commit"), run.info.git.commit);
  for (const f of ["run.json", "records.jsonl", "artifacts/table.json", "charts/c.svg"]) {
    assert.ok(Deno.statSync(join(e.runDir, "artifacts", f)).isFile, f);
  }

  // exporting again replaces the run; a second run of the experiment joins it
  exportMlflow(run.dir, out);
  const other = await createRun("kd_demo", {
    params: { lr: 2e-4 },
    seed: 3,
    root: join(tmp, "runs"),
  });
  other.finish("failed", { error: "x" });
  const e2 = exportMlflow(other.dir, out);
  assert.equal(e2.experimentId, e.experimentId);
  assert.equal(readMeta(join(e2.runDir, "meta.yaml")).status, 4); // FAILED
  const runsIn = [...Deno.readDirSync(join(out, e.experimentId))].filter((d) => d.isDirectory);
  assert.equal(runsIn.length, 2);

  // deno task runs: the list and the comparison
  const list = runsTable(listRuns({ root: join(tmp, "runs") }));
  assert.match(list, /kd_demo .* finished .* accuracy 0\.8/);
  assert.match(list, /kd_demo .* failed/);
  const cmp = compareRuns(readRun(run.dir), readRun(other.dir));
  assert.match(cmp, /params that differ \(4 of 5\):/);
  assert.match(cmp, /lr {2,}0\.0001 +0\.0002/);
  await Deno.remove(tmp, { recursive: true });
});
