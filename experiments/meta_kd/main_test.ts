/**
 * `deno task meta-kd --quick` end to end as a subprocess with the task's permissions: every
 * teacher and student of the design on three domains, the table and both charts written; a
 * `--resume` of the finished run redoes no job.
 */
import assert from "node:assert/strict";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { runTaskScript } from "../_shared/test_teacher.ts";

const PERMISSIONS = [
  "--allow-read=.",
  "--allow-env",
  "--allow-write=runs,.cache,experiments/meta_kd/results",
];

const task = (args: string[]) => runTaskScript("experiments/meta_kd/main.ts", PERMISSIONS, args);

Deno.test({
  name: "meta-kd --quick: every teacher and student, the table, charts, and a resume",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const out = `runs/_tests/meta_kd_${Deno.pid}`;
    const first = await task(["--quick", "--out", out]);
    const table = await Deno.readTextFile(`${PROJECT_ROOT}${out}/table.md`);
    for (
      const m of [
        "Meta-KD \\(meta-teacher, weighted\\)",
        "per-domain teacher, KD",
        "all-domain teacher \\(unweighted\\), KD",
        "no KD \\(labels only\\)",
        "Meta-KD, meta-teacher without this domain",
      ]
    ) assert.match(table, new RegExp(`^\\| ${m} \\| 2\\.17M \\| \\d`, "m"));
    assert.match(table, /n = 40 per domain/);
    assert.match(table, /^\| without:books \| dvd, electronics \|/m);
    for (const c of ["domain_similarity.svg", "transferability.svg"]) {
      assert.match(await Deno.readTextFile(`${PROJECT_ROOT}${out}/charts/${c}`), /^<svg/);
    }
    const run = first.match(/run (runs\/meta_kd\/\S+)/)![1];
    const records = () =>
      Deno.readTextFileSync(`${PROJECT_ROOT}${run}/records.jsonl`).trim().split("\n");
    const n = records().length;
    assert.equal(n, 1 + 8 + 15); // the reference, 8 teachers, 3 domains x 5 students
    await task(["--resume", run]);
    assert.equal(records().length, n, "nothing recomputed on resume");
    await Deno.remove(`${PROJECT_ROOT}${out}`, { recursive: true });
    await Deno.remove(`${PROJECT_ROOT}${run}`, { recursive: true }); // 8 teachers, ~45 MB each
  },
});
