/**
 * The BullMQ engine end to end, with real processes and a real redis-server (started here on
 * 127.0.0.1 at a free port): a `--quick` search (budget 5, a tiny random 1-layer teacher under
 * runs/_tests/) on the local engine; then the same seed with `--engine bullmq` and two
 * `deno task worker` processes. The first worker is SIGKILLed as soon as it starts a job (the job
 * must be handed to the other worker by BullMQ's stalled-job check, lock 3 s), the coordinator is
 * SIGKILLed once two candidates are recorded and resumed with --resume. Checked: every
 * candidate recorded exactly once, the run finished, and the same candidates with the same
 * fitness and attack outcomes, in the same order of asks, as on the local engine.
 */
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/mod.ts";
import { createBertClassifier, saveCheckpoint } from "../../lib/models/mod.ts";
import { startLocalRedis } from "../../lib/queue/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";

const BUDGET = 5;
const RUN_PERMISSIONS = [
  "--allow-read=.",
  "--allow-env",
  "--allow-net",
  "--allow-write=runs,.cache",
];

function readLines(path: string): Record<string, unknown>[] {
  try {
    return Deno.readTextFileSync(path).split("\n").filter((l) => l.trim()).flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

const runDir = (root: string) => {
  try {
    const [e] = [...Deno.readDirSync(`${root}/rosearch_sst2`)];
    return e ? `${root}/rosearch_sst2/${e.name}` : null;
  } catch {
    return null;
  }
};
const candidates = (dir: string | null) =>
  dir ? readLines(`${dir}/records.jsonl`).filter((r) => r.kind === "candidate") : [];

/** A subprocess whose stdout+stderr lines are collected as they come. */
function spawn(script: string, args: string[]) {
  const child = new Deno.Command("deno", {
    args: ["run", ...RUN_PERMISSIONS, script, ...args],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { ROSEARCH_BUDGET: "" },
  }).spawn();
  const lines: string[] = [];
  const pump = async (s: ReadableStream<Uint8Array>) => {
    let rest = "";
    for await (
      const chunk of s.pipeThrough(
        new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
      )
    ) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      lines.push(...parts);
    }
    if (rest) lines.push(rest);
  };
  const done = Promise.all([pump(child.stdout), pump(child.stderr)]);
  return {
    child,
    lines,
    async wait() {
      const s = await child.status;
      await done;
      return s;
    },
    kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    },
  };
}

async function until(what: string, cond: () => boolean, ms: number, log: () => string) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

Deno.test({
  name: "bullmq engine: two workers, one SIGKILLed mid-job, the coordinator SIGKILLed and " +
    "resumed: every candidate once, the same candidates as the local engine",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await initBackend();
    const rel = `runs/_tests/queue_${Deno.pid}`;
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
    const redis = await startLocalRedis();
    const procs: ReturnType<typeof spawn>[] = [];
    const main = "experiments/rosearch_sst2/main.ts", workerMain = "experiments/worker/main.ts";
    const common = (root: string) => [
      "--quick",
      "--no-final",
      "--budget",
      String(BUDGET),
      "--teacher",
      `${rel}/teacher/classifier`,
      "--runs-root",
      `${rel}/${root}`,
      "--results",
      `${rel}/results`,
    ];
    const dump = () => procs.map((p, i) => `--- process ${i}\n${p.lines.join("\n")}`).join("\n");
    try {
      // 1. the local engine
      const local = spawn(main, common("local"));
      procs.push(local);
      assert.equal((await local.wait()).code, 0, dump());
      const localRecords = candidates(runDir(`${work}/local`));
      assert.equal(localRecords.length, BUDGET);

      // 2. two workers; the coordinator on BullMQ
      const workerArgs = ["--redis", redis.url, "--lock-seconds", "3"];
      const w1 = spawn(workerMain, workerArgs), w2 = spawn(workerMain, workerArgs);
      procs.push(w1, w2);
      await until(
        "both workers",
        () => [w1, w2].every((w) => w.lines.some((l) => /taking/.test(l))),
        60_000,
        dump,
      );
      const coordArgs = [...common("queue"), "--engine", "bullmq", "--redis", redis.url];
      const c1 = spawn(main, coordArgs);
      procs.push(c1);
      // SIGKILL worker 1 mid-job
      await until(
        "worker 1 to start a job",
        () => w1.lines.some((l) => /started/.test(l)),
        120_000,
        dump,
      );
      w1.kill();
      const killedJob = w1.lines.find((l) => /started/.test(l))!.match(/job (\S+) started/)![1];
      // SIGKILL the coordinator once two candidates are recorded
      await until(
        "two candidates",
        () => candidates(runDir(`${work}/queue`)).length >= 2,
        180_000,
        dump,
      );
      c1.kill();
      await c1.wait();
      const dir = runDir(`${work}/queue`)!;
      assert.ok(candidates(dir).length < BUDGET, "the coordinator finished before its kill");
      const c2 = spawn(main, [
        "--resume",
        `${rel}/queue/rosearch_sst2/${dir.split("/").at(-1)}`,
        "--no-final",
        "--engine",
        "bullmq",
        "--redis",
        redis.url,
      ]);
      procs.push(c2);
      assert.equal((await c2.wait()).code, 0, dump());

      // 3. every candidate once; the killed worker's job finished elsewhere
      const records = candidates(dir);
      const keys = records.map((r) => r.key as string);
      assert.equal(new Set(keys).size, keys.length, `duplicates: ${keys}`);
      assert.equal(records.length, BUDGET);
      assert.ok(
        records.every((r) => r.status === "ok"),
        JSON.stringify(records.map((r) => r.error)),
      );
      assert.equal(JSON.parse(Deno.readTextFileSync(`${dir}/run.json`)).status, "finished");
      assert.ok(
        w2.lines.some((l) => l.includes(`job ${killedJob} done`)),
        `job ${killedJob} was not handed on\n${dump()}`,
      );
      // 4. the same candidates, fitness and outcomes, in the same order of asks, as locally
      const seq = (rs: Record<string, unknown>[]) =>
        [...rs].sort((a, b) => (a.evaluation as number) - (b.evaluation as number)).map((r) =>
          `${r.evaluation}:${r.hash}:${r.fitness}:${
            (r.metrics as { attack: { outcomes: string } }).attack.outcomes
          }`
        );
      assert.deepEqual(seq(records), seq(localRecords));
    } finally {
      for (const p of procs) p.kill();
      await Promise.allSettled(procs.map((p) => p.wait()));
      await redis.stop();
      // the teacher caches of this test's tiny teacher
      for (const d of [`${work}/local`, `${work}/queue`]) {
        const r = runDir(d);
        if (!r) continue;
        try {
          const t = JSON.parse(Deno.readTextFileSync(`${r}/artifacts/teacher.json`));
          for (const c of Object.values(t.caches) as { root: string; key: string }[]) {
            await Deno.remove(`${c.root}/${c.key}`, { recursive: true }).catch(() => {});
          }
        } catch { /* none */ }
      }
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
