/**
 * `deno task l2a --quick` end to end as a subprocess with the task's permissions: pools, the
 * adapted teacher and three students, the report and charts written; no pool it wrote holds an
 * MR test or TextFooler MR sentence; `--resume` of the finished run redoes no job.
 */
import assert from "node:assert/strict";
import { leakCheck, readPool } from "../../lib/pipeline/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { runTaskScript } from "../_shared/test_teacher.ts";

const PERMISSIONS = [
  "--allow-read=.",
  "--allow-env",
  "--allow-write=runs,.cache,experiments/l2a/results",
];

const task = (args: string[]) => runTaskScript("experiments/l2a/main.ts", PERMISSIONS, args);

Deno.test({
  name: "l2a --quick: pools, teacher, three students, the report; leak-free pools; resume",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const out = `runs/_tests/l2a_${Deno.pid}`;
    const first = await task(["--quick", "--out", out]);
    const readme = await Deno.readTextFile(`${PROJECT_ROOT}${out}/table.md`);
    for (const m of ["target-only", "eda", "l2a"]) {
      assert.match(readme, new RegExp(`^\\| ${m} \\| 978 \\|`, "m"));
    }
    assert.match(readme, /^\| teacher: SST-2 \(no target data\) \| 978 \|/m);
    assert.match(readme, /## The paper's claims at this scale/);
    for (const c of ["data_size_curve", "selector_reward", "dev_accuracy"]) {
      assert.match(await Deno.readTextFile(`${PROJECT_ROOT}${out}/${c}.svg`), /^<svg/);
    }
    const run = first.match(/run (runs\/l2a\/\S+)/)![1];
    for (const f of ["source", "target_100"]) {
      const pool = await readPool(`${PROJECT_ROOT}${run}/artifacts/pools/${f}.jsonl`);
      assert.ok(pool.length > 0);
      await leakCheck(pool, f); // throws on an MR test or attack sentence
    }
    const records = () =>
      Deno.readTextFileSync(`${PROJECT_ROOT}${run}/records.jsonl`).trim().split("\n");
    const n = records().length;
    assert.equal(n, 2 + 1 + 3); // two pools, a teacher, three students
    await task(["--resume", run]);
    assert.equal(records().length, n, "nothing recomputed on resume");
    await Deno.remove(`${PROJECT_ROOT}${out}`, { recursive: true });
  },
});
