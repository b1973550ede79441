/**
 * `deno task kdnas --quick --engine bullmq` with a real redis-server (127.0.0.1, a free port) and
 * one `deno task worker` process: every search candidate is a BullMQ job evaluated by the worker
 * (the KD-NAS and random searches share a candidate's job), each recorded once, and the run
 * finishes with its table.
 */
import assert from "node:assert/strict";
import { startLocalRedis } from "../../lib/queue/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { saveTinyTeacher } from "../_shared/test_teacher.ts";

const PERMISSIONS = ["--allow-read=.", "--allow-env", "--allow-net", "--allow-write=runs,.cache"];

Deno.test({
  name: "kdnas --engine bullmq: candidates evaluated by a worker process, each recorded once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rel = `runs/_tests/kdnas_bullmq_${Deno.pid}`;
    const work = `${PROJECT_ROOT}${rel}`;
    await saveTinyTeacher(`${work}/teacher/classifier`);
    const redis = await startLocalRedis();
    const queue = `kdnas_test_${Deno.pid}`;
    const worker = new Deno.Command("deno", {
      args: [
        "run",
        ...PERMISSIONS,
        "experiments/worker/main.ts",
        "--redis",
        redis.url,
        "--queue",
        queue,
      ],
      cwd: PROJECT_ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      const out = await new Deno.Command("deno", {
        args: [
          "run",
          ...PERMISSIONS,
          "experiments/kd_nas/main.ts",
          "--quick",
          "--teacher",
          `${rel}/teacher/classifier`,
          "--runs-root",
          `${rel}/runs`,
          "--results",
          `${rel}/results`,
          "--engine",
          "bullmq",
          "--redis",
          redis.url,
          "--queue",
          queue,
        ],
        cwd: PROJECT_ROOT,
        stdout: "piped",
        stderr: "piped",
        env: { ROSEARCH_BUDGET: "ci" },
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, text);
      assert.match(text, /engine: BullMQ on redis:\/\/127\.0\.0\.1/);
      const [id] = [...Deno.readDirSync(`${work}/runs/kd_nas`)].map((e) => e.name);
      const records = Deno.readTextFileSync(`${work}/runs/kd_nas/${id}/records.jsonl`).trim()
        .split("\n").map((l) => JSON.parse(l));
      const keys = records.map((r) => r.key);
      assert.equal(new Set(keys).size, keys.length, "each record once");
      const cands = records.filter((r) => r.kind === "candidate");
      assert.ok(cands.length >= 6 && cands.every((r) => r.status === "ok"), JSON.stringify(cands));
      Deno.statSync(`${work}/results/table.md`);
    } finally {
      try {
        worker.kill("SIGTERM");
      } catch { /* already gone */ }
      const w = await worker.output();
      await redis.stop();
      await Deno.remove(work, { recursive: true }).catch(() => {});
      void w;
    }
  },
});
