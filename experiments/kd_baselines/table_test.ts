import assert from "node:assert/strict";
import { mergeTables, type Table, type TableRow } from "./table.ts";

const row = (name: string, devAccuracy: number): TableRow => ({
  name,
  style: name,
  params: 1,
  compression: 1,
  devAccuracy,
  validationAccuracy: null,
  trainSeconds: 1,
  steps: 1,
  msPerStep: 1,
  teacherSource: "cache",
  checkpoint: "-",
  run: "-",
  command: `deno task kd-baselines --only ${name}`,
});
const order = ["pkd", "tinybert", "distilbert", "bilstm"];

Deno.test(
  "mergeTables: --only rows replace theirs, the rest stay, " +
    "baseline order, note appended",
  () => {
    const earlier: Table = {
      header: ["Teacher: t", "Budget: old"],
      rows: [row("pkd", 0.8), row("tinybert", 0.7), row("distilbert", 0.6), row("bilstm", 0.5)],
    };
    const fresh: Table = {
      header: ["Teacher: t", "Budget: new"],
      rows: [row("distilbert", 0.9), row("pkd", 0.95)],
    };
    const m = mergeTables(earlier, fresh, order, "rerun: pkd, distilbert")!;
    assert.deepEqual(m.rows.map((r) => [r.name, r.devAccuracy]), [
      ["pkd", 0.95],
      ["tinybert", 0.7],
      ["distilbert", 0.9],
      ["bilstm", 0.5],
    ]);
    assert.deepEqual(m.header, ["Teacher: t", "Budget: old", "rerun: pkd, distilbert"]);
    // an unknown name goes last; another teacher is never merged
    const extra = mergeTables(
      earlier,
      { header: ["Teacher: t"], rows: [row("zz", 0.1)] },
      order,
      "n",
    )!;
    assert.equal(extra.rows.at(-1)!.name, "zz");
    assert.equal(mergeTables(earlier, { header: ["Teacher: other"], rows: [] }, order, "n"), null);
  },
);
