/**
 * `deno task rosearch --resume RUN --final-kd MODE` on a finished quick run (a tiny random teacher
 * under runs/_tests/): the final stage is rerun with robust KD beside the plain one (its own
 * record keys and folder; the teacher's evaluations reused), and change.md holds the paired
 * change of every retrained model. A bad mode is one clear line, no stack trace.
 */
import assert from "node:assert/strict";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { saveTinyTeacher } from "../_shared/test_teacher.ts";

const PERMISSIONS = [
  "--allow-read=.",
  "--allow-env=ROSEARCH_BACKEND,ROSEARCH_BUDGET",
  "--allow-write=runs,.cache,experiments/rosearch_sst2/results",
];

const rosearch = async (args: string[]) => {
  const out = await new Deno.Command("deno", {
    args: ["run", ...PERMISSIONS, "experiments/rosearch_sst2/main.ts", ...args],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { ROSEARCH_BUDGET: "" },
  }).output();
  const d = new TextDecoder();
  return { code: out.code, out: d.decode(out.stdout), err: d.decode(out.stderr) };
};

Deno.test({
  name: "rosearch --final-kd: a finished run's final stage again with robust KD, paired change",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rel = `runs/_tests/rosearch_final_kd_${Deno.pid}`;
    const work = `${PROJECT_ROOT}${rel}`;
    await saveTinyTeacher(`${work}/teacher/classifier`, { hidden: 256, heads: 4 });
    try {
      const bad = await rosearch(["--quick", "--kd", "freelb", "--runs-root", `${rel}/runs`]);
      assert.equal(bad.code, 2);
      assert.match(
        bad.err,
        /^deno task rosearch: --kd: unknown KD mode "freelb"; allowed: plain,/m,
      );
      assert.doesNotMatch(bad.err, /\n\s+at /, "no stack trace");

      const first = await rosearch([
        "--quick",
        "--budget",
        "2",
        "--teacher",
        `${rel}/teacher/classifier`,
        "--runs-root",
        `${rel}/runs`,
        "--results",
        `${rel}/results`,
      ]);
      assert.equal(first.code, 0, first.out + first.err);
      const run = first.out.match(/run +(runs\/_tests\/\S+)/)![1];
      const second = await rosearch(["--resume", run, "--final-kd", "random-token"]);
      assert.equal(second.code, 0, second.out + second.err);
      const records = Deno.readTextFileSync(`${PROJECT_ROOT}${run}/records.jsonl`).trim()
        .split("\n").map((l) => JSON.parse(l));
      const keys = records.map((r) => r.key as string).filter((k) => k?.startsWith("final_"));
      assert.ok(keys.some((k) => /^final_train@random-token:/.test(k)), keys.join(", "));
      assert.ok(keys.some((k) => /^final_train_baseline@random-token:/.test(k)), keys.join(", "));
      assert.ok(!keys.some((k) => /^final_eval@random-token:teacher:/.test(k)), "teacher reused");
      assert.equal(new Set(keys).size, keys.length, "every job recorded once");
      const out = `${work}/results/final_kd_random-token`;
      assert.match(Deno.readTextFileSync(`${out}/table.md`), /Robust KD: every retrained student/);
      const change = JSON.parse(Deno.readTextFileSync(`${out}/change.json`));
      const models = new Set(change.changes.map((c: { model: string }) => c.model));
      assert.ok(
        models.has("searched-1") && models.size > 1 && !models.has("teacher"),
        [...models].join(),
      );
      assert.match(Deno.readTextFileSync(`${out}/change.md`), /McNemar p \| Holm p \|/);
      // the plain table of the run is untouched
      assert.doesNotMatch(Deno.readTextFileSync(`${work}/results/table.md`), /Robust KD/);
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
