/**
 * `deno task kdnas --quick` end to end as a subprocess with the task's permissions, against a tiny
 * random teacher under runs/_tests/: SIGKILLed once two candidates are recorded, resumed with
 * --resume; every candidate is recorded exactly once, both searches finish their budget, and the
 * table, the controller table and the charts are written.
 */
import assert from "node:assert/strict";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { readJsonLines, saveTinyTeacher } from "../_shared/test_teacher.ts";

const PERMISSIONS = [
  "--allow-read=.",
  "--allow-env",
  "--allow-write=runs,.cache,experiments/kd_nas/results",
];

Deno.test({
  name: "kdnas --quick: SIGKILL, --resume, every candidate once, table and charts",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rel = `runs/_tests/kdnas_${Deno.pid}`;
    const work = `${PROJECT_ROOT}${rel}`;
    await saveTinyTeacher(`${work}/teacher/classifier`);
    const spawn = (args: string[]) =>
      new Deno.Command("deno", {
        args: ["run", ...PERMISSIONS, "experiments/kd_nas/main.ts", ...args],
        cwd: PROJECT_ROOT,
        stdout: "piped",
        stderr: "piped",
        env: { ROSEARCH_BUDGET: "ci" },
      }).spawn();
    try {
      const first = spawn([
        "--quick",
        "--teacher",
        `${rel}/teacher/classifier`,
        "--runs-root",
        `${rel}/runs`,
        "--results",
        `${rel}/results`,
      ]);
      const runDir = () => {
        try {
          return [...Deno.readDirSync(`${work}/runs/kd_nas`)].map((e) => e.name)[0];
        } catch {
          return undefined;
        }
      };
      let killed = -1;
      for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 200));
        const id = runDir();
        const n = id
          ? readJsonLines(`${work}/runs/kd_nas/${id}/records.jsonl`).filter((r) =>
            r.kind === "candidate"
          )
            .length
          : 0;
        if (n >= 2) {
          killed = n;
          first.kill("SIGKILL");
          break;
        }
      }
      const out1 = await first.output();
      assert.ok(
        killed >= 2,
        `no two candidates in 120 s:\n${new TextDecoder().decode(out1.stderr)}`,
      );
      const id = runDir()!;
      const second = await spawn(["--resume", `${rel}/runs/kd_nas/${id}`]).output();
      const text = new TextDecoder().decode(second.stdout) +
        new TextDecoder().decode(second.stderr);
      assert.equal(second.code, 0, text);
      assert.match(text, /RESUMED/);
      const records = readJsonLines(`${work}/runs/kd_nas/${id}/records.jsonl`);
      const keys = records.map((r) => r.key as string);
      assert.equal(new Set(keys).size, keys.length, `a record twice: ${keys.join(", ")}`);
      for (const name of ["kdnas", "random"]) {
        const st = JSON.parse(
          Deno.readTextFileSync(`${work}/runs/kd_nas/${id}/artifacts/${name}_state.json`),
        );
        assert.equal(st.history.length, 6, `${name}: 2 episodes x 3 candidates told`);
        assert.equal(st.pending.length, 0);
      }
      const candidates = new Set(records.filter((r) => r.kind === "candidate").map((r) => r.hash));
      assert.ok(candidates.size >= 6 && candidates.size <= 12, `${candidates.size} evaluated`);
      const md = Deno.readTextFileSync(`${work}/results/table.md`);
      for (const row of ["kdnas-best", "hand-crafted", "teacher"]) {
        assert.match(md, new RegExp(`^\\| ${row}( ⚠ at chance)? \\|`, "m"));
      }
      assert.match(md, /### The controller, per episode/);
      const table = JSON.parse(Deno.readTextFileSync(`${work}/results/table.json`));
      assert.equal(table.quality.kdnas.length, 2);
      for (const r of table.rows) {
        assert.ok(r.latencies.b1.medianMs > 0 && r.latencies.b32.medianMs > 0);
      }
      Deno.statSync(`${work}/results/charts/best_reward_vs_random.svg`);
    } finally {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
