import assert from "node:assert/strict";
import { join } from "node:path";
import { createRun, listRuns, metricSeries, readRun, resumeRun, type RunInfo } from "./mod.ts";

/** A test with a temporary runs root. */
function rootTest(name: string, fn: (root: string) => Promise<void>) {
  Deno.test(name, async () => {
    const root = Deno.makeTempDirSync({ prefix: "track_runs_" });
    try {
      await fn(root);
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  });
}

const params = { teacher: "bert-tiny", lr: 1e-3, layers: [2, 4] };

rootTest("create, append and read back", async (root) => {
  const run = await createRun("unit", {
    params,
    seed: 7,
    root,
    backend: { name: "wasm", threads: 2 },
    versions: { tfjs: "test" },
  });
  assert.equal(run.dir, join(root, "unit", run.id));
  assert.match(run.id, /^\d{8}-\d{6}-\d{3}$/);
  run.logMetric("loss", 0.5, { step: 0, context: { split: "train" } });
  run.logMetrics({ loss: NaN, acc: 0.75 }, { step: 1, context: { split: "dev", attack: "none" } });
  run.logMetric("acc", -Infinity);
  run.appendRecord({ key: "g1", accuracy: 0.8 });
  run.appendRecord({ note: "no key" });
  assert.deepEqual(run.completedKeys(), new Set(["g1"]));
  assert.throws(() => run.appendRecord({ key: "g1" }), /key "g1" was already written/);
  const art = run.writeArtifact("tables/best.json", { best: "g1" });
  assert.equal(art, join(run.dir, "artifacts", "tables", "best.json"));
  run.writeArtifact("raw.bin", new Uint8Array([1, 2, 3]));
  assert.equal(run.chartPath("acc.svg"), join(run.dir, "charts", "acc.svg"));
  const info = run.finish("finished", { best: "g1" });
  assert.throws(() => run.logMetric("late", 1), /finished; use resumeRun/);

  const back = readRun(run.dir);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.info, info);
  assert.equal(back.info.status, "finished");
  assert.equal(back.info.seed, 7);
  assert.deepEqual(back.info.params, params);
  assert.deepEqual(back.info.backend, { name: "wasm", threads: 2 });
  assert.equal(back.info.versions.tfjs, "test");
  assert.equal(back.info.versions.deno, Deno.version.deno);
  assert.match(back.info.git.commit, /^([0-9a-f]{40}|unknown)$/);
  assert.ok(back.info.end! >= back.info.start);
  assert.deepEqual(back.info.history.map((h) => h.event), ["created", "finished"]);
  assert.deepEqual(back.metrics.map((m) => [m.name, m.value, m.step]), [
    ["loss", 0.5, 0],
    ["loss", NaN, 1],
    ["acc", 0.75, 1],
    ["acc", -Infinity, null],
  ]);
  assert.deepEqual(back.metrics[1].context, { split: "dev", attack: "none" });
  assert.deepEqual(back.records, [{ key: "g1", accuracy: 0.8 }, { note: "no key" }]);
  assert.deepEqual(JSON.parse(Deno.readTextFileSync(art)), { best: "g1" });
  assert.deepEqual(Deno.readFileSync(run.artifactPath("raw.bin")), new Uint8Array([1, 2, 3]));
});

rootTest("tfjs version comes from the import map when not given", async (root) => {
  const run = await createRun("unit", { params: {}, seed: 1, root });
  assert.equal(run.info.versions.tfjs, "4.22.0");
});

rootTest(
  "a corrupt metrics line is reported with file:line; the rest still reads",
  async (root) => {
    const run = await createRun("unit", { params, seed: 1, root });
    for (let step = 0; step < 5; step++) run.logMetric("loss", 1 / (step + 1), { step });
    const path = join(run.dir, "metrics.jsonl");
    const lines = Deno.readTextFileSync(path).split("\n");
    lines[2] = lines[2].slice(0, 20); // line 3 cut short
    lines[3] = '{"name":"loss","value":true,"step":3,"context":{},"time":"t"}'; // wrong type
    Deno.writeTextFileSync(path, lines.join("\n"));
    const back = readRun(run.dir);
    assert.deepEqual(back.metrics.map((m) => m.step), [0, 1, 4]);
    assert.equal(back.problems.length, 2);
    assert.ok(back.problems[0].startsWith(`${path}:3: not valid JSON (`), back.problems[0]);
    assert.ok(
      back.problems[1].startsWith(`${path}:4: not a metric (field "value"`),
      back.problems[1],
    );
  },
);

rootTest("malformed run.json names the field", async (root) => {
  const run = await createRun("unit", { params, seed: 1, root });
  const path = join(run.dir, "run.json");
  const info = JSON.parse(Deno.readTextFileSync(path));
  Deno.writeTextFileSync(path, JSON.stringify({ ...info, status: "done" }));
  assert.throws(() => readRun(run.dir), (e: Error) => {
    assert.ok(e.message.startsWith(`Cannot read ${path}: field "status"`), e.message);
    return true;
  });
  Deno.writeTextFileSync(path, "{");
  assert.throws(() => readRun(run.dir), /not valid JSON/);
  assert.throws(() => readRun(join(root, "unit")), /run.json not found/);
});

rootTest("resume repairs a torn last line and continues with completedKeys", async (root) => {
  const run = await createRun("unit", { params, seed: 3, root, runId: "r1" });
  for (let i = 0; i < 4; i++) run.appendRecord({ key: `k${i}`, i });
  run.logMetric("acc", 0.5, { step: 0 });
  // A kill during a write: a partial record at the end of records.jsonl.
  Deno.writeTextFileSync(join(run.dir, "records.jsonl"), '{"key":"k4","i"', { append: true });
  assert.match(readRun(run.dir).problems[0], /records.jsonl:5: .*torn final line/);

  const again = await resumeRun({ experiment: "unit", runId: "r1", root });
  assert.deepEqual(again.completedKeys(), new Set(["k0", "k1", "k2", "k3"]));
  for (let i = 0; i < 6; i++) {
    if (!again.completedKeys().has(`k${i}`)) again.appendRecord({ key: `k${i}`, i });
  }
  again.finish();
  const back = readRun(again.dir);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.records.map((r) => r.i), [0, 1, 2, 3, 4, 5]);
  const resumed = back.info.history[1];
  assert.equal(resumed.event, "resumed");
  assert.equal(resumed.previousStatus, "running");
  assert.deepEqual(resumed.repairs, [
    { file: join(run.dir, "records.jsonl"), line: 5, action: "dropped", bytes: 15 },
  ]);
  assert.equal(back.info.status, "finished");
  await assert.rejects(
    () => createRun("unit", { params, seed: 3, root, runId: "r1" }),
    /already exists/,
  );
});

rootTest("writes stay under root: bad names are rejected and nothing escapes", async (root) => {
  for (const bad of ["../evil", "a/b", "/tmp/evil", ".."]) {
    await assert.rejects(() => createRun(bad, { params, seed: 1, root }), /experiment/);
  }
  await assert.rejects(() => createRun("ok", { params, seed: 1, root, runId: "../x" }), /runId/);
  const run = await createRun("ok", { params, seed: 1, root });
  for (const bad of ["../run.json", "../../../escape", "/etc/passwd", "a\\..\\b", ""]) {
    assert.throws(() => run.writeArtifact(bad, "x"), /artifact name/);
    assert.throws(() => run.chartPath(bad), /chart name/);
  }
  await assert.rejects(() => resumeRun({ experiment: "..", runId: "x", root }), /experiment/);
  assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["ok"]);
  assert.deepEqual([...Deno.readDirSync(run.dir)].map((e) => e.name), ["run.json"]);
});

rootTest("runIds are unique; listRuns sorts by start and reports unreadable runs", async (root) => {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await createRun("a", { params: { i }, seed: i, root }));
  assert.equal(new Set(runs.map((r) => r.id)).size, 5);
  const other = await createRun("b", { params: {}, seed: 9, root });
  other.finish("failed", { error: "boom" });
  Deno.mkdirSync(join(root, "b", "broken"));
  const all = listRuns({ root });
  assert.equal(all.length, 7);
  assert.deepEqual(all.slice(0, 6).map((s) => s.start), all.slice(0, 6).map((s) => s.start).sort());
  assert.equal(all[6].status, "unreadable");
  assert.match(all[6].error!, /run.json not found/);
  const onlyB = listRuns({ root, experiment: "b" });
  assert.deepEqual(onlyB.map((s) => s.status), ["failed", "unreadable"]);
  assert.deepEqual(onlyB[0].summary, { error: "boom" });
  assert.deepEqual(listRuns({ root: join(root, "nothing") }), []);
});

rootTest("metricSeries filters by name and context subset", async (root) => {
  const run = await createRun("unit", { params, seed: 1, root });
  for (const attack of ["none", "textfooler"]) {
    for (let step = 0; step < 3; step++) {
      run.logMetric("acc", step / 10, { step, context: { split: "dev", attack } });
    }
  }
  run.logMetric("acc", 1, { context: { split: "train" } });
  const { metrics } = readRun(run.dir);
  const tf = metricSeries(metrics, "acc", { attack: "textfooler" });
  assert.deepEqual(tf.map((p) => [p.step, p.value]), [[0, 0], [1, 0.1], [2, 0.2]]);
  assert.equal(metricSeries(metrics, "acc", { split: "dev" }).length, 6);
  assert.deepEqual(metricSeries(metrics, "acc", { split: "train" }).map((p) => p.step), [0]);
  assert.equal(metricSeries(metrics, "loss").length, 0);
});

rootTest("setStatus records a history entry", async (root) => {
  const run = await createRun("unit", { params, seed: 1, root });
  run.setStatus("interrupted");
  // deno-lint-ignore no-explicit-any
  assert.throws(() => run.setStatus("paused" as any), /must be one of running, finished/);
  const info: RunInfo = readRun(run.dir).info;
  assert.equal(info.status, "interrupted");
  assert.deepEqual(info.history.map((h) => h.event), ["created", "status"]);
  assert.equal(info.end, null);
});
