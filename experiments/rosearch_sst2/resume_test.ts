/**
 * Kill-and-resume test of `deno task rosearch`: the search runs as a subprocess with exactly the
 * task's permissions and --quick against a tiny random teacher (1 layer, hidden 256, saved under
 * runs/_tests/ because the task may only read the project folder), is SIGKILLed once at least two
 * candidates are in records.jsonl, then resumed with --resume; the final records must hold every
 * evaluated candidate exactly once and their number must equal the budget.
 */
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/mod.ts";
import { createBertClassifier, saveCheckpoint } from "../../lib/models/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";

const PERMISSIONS = [
  "--allow-read=.",
  "--allow-env=ROSEARCH_BACKEND,ROSEARCH_BUDGET",
  "--allow-write=runs,.cache,experiments/rosearch_sst2/results",
];
const BUDGET = 6;

function readLines(path: string): Record<string, unknown>[] {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return [];
  }
  return text.split("\n").filter((l) => l.trim()).flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return []; // torn last line
    }
  });
}

function runDirs(root: string): string[] {
  try {
    return [...Deno.readDirSync(`${root}/rosearch_sst2`)].map((e) =>
      `${root}/rosearch_sst2/${e.name}`
    );
  } catch {
    return [];
  }
}

Deno.test({
  name: "rosearch: SIGKILL after two candidates, --resume, every candidate exactly once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await initBackend();
    const rel = `runs/_tests/rosearch_resume_${Deno.pid}`;
    const work = `${PROJECT_ROOT}${rel}`;
    const teacher = createBertClassifier({
      vocab_size: 30522,
      hidden_size: 256,
      num_hidden_layers: 1,
      num_attention_heads: 4,
      intermediate_size: 256,
      max_position_embeddings: 128,
      num_labels: 2,
    }, { seed: 1 });
    await saveCheckpoint(teacher, `${work}/teacher/classifier`, { dtype: "F16" });
    teacher.dispose();
    const common = [
      "--quick",
      "--no-final",
      "--budget",
      String(BUDGET),
      "--teacher",
      `${rel}/teacher/classifier`,
      "--runs-root",
      `${rel}/runs`,
      "--results",
      `${rel}/results`,
    ];
    const spawn = (args: string[]) =>
      new Deno.Command("deno", {
        args: ["run", ...PERMISSIONS, "experiments/rosearch_sst2/main.ts", ...args],
        cwd: PROJECT_ROOT,
        stdout: "piped",
        stderr: "piped",
        env: { ROSEARCH_BUDGET: "" },
      }).spawn();
    try {
      // 1. run and kill
      const first = spawn(common);
      let killedAt = -1;
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const dir = runDirs(`${work}/runs`)[0];
        const n = dir
          ? readLines(`${dir}/records.jsonl`).filter((r) => r.kind === "candidate").length
          : 0;
        if (n >= 2) {
          killedAt = n;
          first.kill("SIGKILL");
          break;
        }
      }
      const status1 = await first.output();
      assert.ok(
        killedAt >= 2,
        `no two candidates within 90 s:\n${new TextDecoder().decode(status1.stderr)}`,
      );
      assert.ok(killedAt < BUDGET, `the run finished before it could be killed (${killedAt})`);
      const [dir] = runDirs(`${work}/runs`);
      assert.equal(JSON.parse(Deno.readTextFileSync(`${dir}/run.json`)).status, "running");

      // 2. resume
      const second = await spawn([
        "--resume",
        `${rel}/runs/rosearch_sst2/${dir.split("/").at(-1)}`,
        "--no-final",
      ]).output();
      const out = new TextDecoder().decode(second.stdout);
      assert.equal(
        second.code,
        0,
        `resume failed:\n${out}\n${new TextDecoder().decode(second.stderr)}`,
      );
      assert.match(out, /RESUMED/);
      const m = out.match(/resuming: (\d+) candidates in records, (\d+) pending/);
      assert.ok(m, out);
      assert.ok(Number(m[1]) >= killedAt && Number(m[1]) < BUDGET, m[0]);
      assert.ok(Number(m[2]) >= 1, `the kill left no pending ask to re-evaluate: ${m[0]}`);

      // 3. every candidate exactly once, count = budget
      const records = readLines(`${dir}/records.jsonl`).filter((r) => r.kind === "candidate");
      const keys = records.map((r) => r.key as string);
      assert.equal(new Set(keys).size, keys.length, `duplicate keys: ${keys.join(", ")}`);
      assert.equal(records.length, BUDGET);
      assert.ok(
        records.every((r) => r.status === "ok"),
        JSON.stringify(records.map((r) => r.error)),
      );
      const state = JSON.parse(Deno.readTextFileSync(`${dir}/artifacts/evolution_state.json`));
      assert.equal(state.counters.told, BUDGET);
      assert.equal(state.pending.length, 0);
      assert.deepEqual(
        new Set(state.history.map((i: { hash: string }) => i.hash)),
        new Set(keys),
      );
      const info = JSON.parse(Deno.readTextFileSync(`${dir}/run.json`));
      assert.equal(info.status, "finished");
      assert.ok(
        info.history.some((h: { event: string; previousStatus?: string }) =>
          h.event === "resumed" && h.previousStatus === "running"
        ),
      );
      // racing: each candidate's extensions once each, in order, over one list of examples
      for (const r of records) {
        const m = r.metrics as {
          racing: { steps: number[] };
          attack: { outcomes: string; total: number };
        };
        const steps = m.racing.steps;
        assert.ok(steps.every((x, i) => i === 0 || x > steps[i - 1]), JSON.stringify(steps));
        assert.equal(m.attack.outcomes.length, steps.at(-1));
        assert.equal(m.attack.total, steps.at(-1));
      }
      // the ask order is deterministic: evaluations 1..budget, the same as an uninterrupted run
      const sequence = (rs: Record<string, unknown>[]) =>
        rs.map((r) => [r.evaluation as number, r.hash as string] as const)
          .sort((a, b) => a[0] - b[0]).map(([e, h]) => `${e}:${h}`);
      assert.deepEqual(sequence(records).map((x) => Number(x.split(":")[0])), [1, 2, 3, 4, 5, 6]);
      // the uninterrupted run also runs the final stage: with this 1-layer teacher the baselines
      // that copy or match deeper teacher layers cannot be trained; they are listed, not fatal
      const straight = await spawn([
        ...common.filter((a) => a !== "--no-final"),
        "--runs-root",
        `${rel}/runs_straight`,
      ]).output();
      assert.equal(straight.code, 0, new TextDecoder().decode(straight.stderr));
      const table = JSON.parse(Deno.readTextFileSync(`${work}/results/table.json`));
      assert.ok(table.rows.some((r: { kind: string }) => r.kind === "teacher"));
      assert.ok(table.rows.some((r: { name: string }) => r.name === "bilstm"), "bilstm trains");
      assert.ok(
        table.baselinesMissing.some((m: string) =>
          /^pkd \(not trainable with this teacher/.test(m)
        ),
        JSON.stringify(table.baselinesMissing),
      );
      const [dir2] = runDirs(`${work}/runs_straight`);
      const records2 = readLines(`${dir2}/records.jsonl`).filter((r) => r.kind === "candidate");
      assert.deepEqual(sequence(records2), sequence(records), "resumed run = uninterrupted run");
      for (const r of records) {
        const twin = records2.find((x) => x.hash === r.hash)!;
        assert.equal(
          (twin.metrics as { attack: { outcomes: string } }).attack.outcomes,
          (r.metrics as { attack: { outcomes: string } }).attack.outcomes,
        );
      }
      // 4. the architecture statistics were written for all of them
      const stats = JSON.parse(Deno.readTextFileSync(`${dir}/artifacts/arch_stats.json`));
      assert.equal(stats.n, BUDGET);
      // clean up the teacher caches this test created
      const t = JSON.parse(Deno.readTextFileSync(`${dir}/artifacts/teacher.json`));
      for (const c of Object.values(t.caches) as { root: string; key: string }[]) {
        await Deno.remove(`${c.root}/${c.key}`, { recursive: true }).catch(() => {});
      }
    } finally {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
