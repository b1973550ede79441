/**
 * `deno task adabert --quick` end to end as a subprocess with the task's permissions, on tiny
 * random teachers (one per task, TREC's with 6 labels): three searches, the 3 x 3 transfer
 * retraining, an attack on the SST-2 student, the table and charts; then a `--resume` of the
 * finished run redoes no job.
 */
import assert from "node:assert/strict";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { readJsonLines, runTaskScript, saveTinyTeacher } from "../_shared/test_teacher.ts";

const PERMISSIONS = [
  "--allow-read=.",
  "--allow-env",
  "--allow-write=runs,.cache,experiments/adabert/results",
];
const task = (args: string[]) => runTaskScript("experiments/adabert/main.ts", PERMISSIONS, args);

Deno.test({
  name: "adabert --quick: searches, transfer table, attack, charts, and a resume",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const root = `runs/_tests/adabert_${Deno.pid}`;
    const teachers: string[] = [];
    for (const [t, numLabels] of [["sst2", 2], ["trec", 6], ["subj", 2]] as const) {
      await saveTinyTeacher(`${PROJECT_ROOT}${root}/teachers/${t}`, { hidden: 32, numLabels });
      teachers.push(`${t}=${root}/teachers/${t}`);
    }
    const out = `${root}/out`;
    const first = await task(["--quick", "--teachers", teachers.join(","), "--out", out]);
    const table = await Deno.readTextFile(`${PROJECT_ROOT}${out}/table.md`);
    assert.match(table, /^\| trec \| test \| 500 \| \d/m);
    assert.match(table, /^\| subj \| dev \| 1000 \|/m);
    assert.match(table, /^\| sst2 \(dev\) \| \d.* \| \d.* \| \d.* \|$/m);
    assert.match(table, /^\| deepwordbug \| 10 \|/m);
    assert.match(table, /Task-adaptiveness: /);
    for (
      const c of ["architecture_trec.svg", "trajectory_ops_subj.svg", "trajectory_depth_sst2.svg"]
    ) {
      assert.match(await Deno.readTextFile(`${PROJECT_ROOT}${out}/charts/${c}`), /^<svg/);
    }
    const run = first.match(/run (runs\/adabert\/\S+)/)![1];
    const n = readJsonLines(`${PROJECT_ROOT}${run}/records.jsonl`).length;
    assert.equal(n, 3 + 9 + 1); // searches, retrains, one attack
    await task(["--resume", run]);
    assert.equal(readJsonLines(`${PROJECT_ROOT}${run}/records.jsonl`).length, n);
    await Deno.remove(`${PROJECT_ROOT}${root}`, { recursive: true });
    await Deno.remove(`${PROJECT_ROOT}${run}`, { recursive: true });
  },
});
