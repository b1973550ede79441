/**
 * `deno task mate-kd --quick` end to end as a subprocess with the task's permissions: four
 * methods trained and attacked, the table written; `--resume` of the finished run redoes no job.
 */
import assert from "node:assert/strict";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { runTaskScript } from "../_shared/test_teacher.ts";

const PERMISSIONS = [
  "--allow-read=.",
  "--allow-env",
  "--allow-write=runs,.cache,experiments/mate_kd/results",
];

const task = (args: string[]) => runTaskScript("experiments/mate_kd/main.ts", PERMISSIONS, args);

Deno.test({
  name: "mate-kd --quick: four methods, the table, and a resume that redoes nothing",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const out = `runs/_tests/mate_kd_${Deno.pid}`;
    const first = await task(["--quick", "--out", out]);
    const table = await Deno.readTextFile(`${PROJECT_ROOT}${out}/table.md`);
    for (const m of ["plain", "random-token", "embedding-pgd", "mate"]) {
      assert.match(table, new RegExp(`^\\| ${m}( ⚠ at chance)? \\|`, "m"));
    }
    assert.match(table, /Paired comparisons with plain KD/);
    assert.match(table, /^## Student: tinybert$/m);
    const run = first.match(/run (runs\/mate_kd\/\S+)/)![1];
    const records = () =>
      Deno.readTextFileSync(`${PROJECT_ROOT}${run}/records.jsonl`).trim().split("\n");
    const n = records().length;
    assert.equal(n, 4 + 4 * 3); // 4 trainings, 4 x (clean + 2 recipes)
    await task(["--resume", run]);
    assert.equal(records().length, n, "nothing recomputed on resume");
    await Deno.remove(`${PROJECT_ROOT}${out}`, { recursive: true });
  },
});
