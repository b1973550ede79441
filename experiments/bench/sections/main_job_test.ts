import assert from "node:assert/strict";
import { mainJobRun, mainJobSection } from "./main_job.ts";

const base = {
  experiment: "rosearch_sst2",
  runId: "r1",
  status: "finished",
  params: { presetName: "default" },
  backend: { fused: { active: true } },
  history: [
    { event: "created", time: "2026-12-04T10:00:00.000Z" },
    { event: "interrupted", time: "2026-12-04T10:05:00.000Z" },
    { event: "resumed", time: "2026-12-04T11:00:00.000Z" },
    { event: "finished", time: "2026-12-04T11:02:30.000Z" },
  ],
};

Deno.test("mainJobRun: sums invocations, not the gap between them; reads the fused flag", () => {
  const r = mainJobRun(base, "x")!;
  assert.equal(r.seconds, 450);
  assert.equal(r.invocations, 2);
  assert.equal(r.fused, true);
  assert.equal(mainJobRun({ ...base, backend: {} }, "x")!.fused, false);
});

Deno.test("mainJobRun: skips unfinished, paper-preset and other experiments' records", () => {
  assert.equal(mainJobRun({ ...base, status: "running" }, "x"), null);
  assert.equal(mainJobRun({ ...base, params: { presetName: "paper" } }, "x"), null);
  assert.equal(mainJobRun({ ...base, experiment: "kd_nas" }, "x"), null);
});

Deno.test("bench mainjob: the committed before/after records give both rows, a ratio", async () => {
  const rows = await mainJobSection.run({ quick: true, backend: {} as never, results: new Map() });
  const ratio = rows.find((r) => r.unit === "x");
  assert.ok(ratio, JSON.stringify(rows));
  assert.ok(rows.some((r) => r.name.includes("fused kernels off")));
  assert.ok(rows.some((r) => r.name.includes("fused kernels on")));
  assert.ok(ratio.value > 1, `without / with = ${ratio.value}`);
});
