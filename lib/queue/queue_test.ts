/**
 * lib/queue against a real redis-server (started per test on a free port): the engine and two
 * in-process queue workers, idempotent job ids, retries that end in a recorded failure,
 * malformed payloads rejected without crashing the worker, a Redis restart survived, clear
 * errors for a bad URL and an unreachable Redis.
 */
import assert from "node:assert/strict";
import type { Ask } from "../search/mod.ts";
import { checkRedis, jobIdOf, parseRedisUrl, queueEngine, redactUrl, serveQueue } from "./mod.ts";
import { startLocalRedis } from "./local_redis.ts";

type Task = { x: number; failTimes?: number };
const parse = (data: unknown): Task => {
  const d = data as Task;
  if (typeof d?.x !== "number") {
    throw new TypeError(`field x: expected a number, got ${typeof d?.x}`);
  }
  return d;
};
const ask = (id: number, x: number): Ask<{ x: number }> => ({
  id,
  hash: `h${x}`,
  origin: "random",
  parents: [],
  genome: { x },
});
const quiet = () => {};
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "queue: two workers evaluate every ask once; re-adding a finished job returns its result",
  ...opts,
  async fn() {
    const redis = await startLocalRedis();
    const runs = new Map<string, number>();
    const workers = [1, 2].map((w) =>
      serveQueue<Task, { y: number; by: number }>({
        url: redis.url,
        queueName: "t1",
        name: "square",
        concurrency: 2,
        parse,
        handle: async (t, job) => {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 20));
          return { y: t.x * t.x, by: w };
        },
        log: quiet,
      })
    );
    const engine = queueEngine<{ x: number }, { y: number; by: number }>({
      url: redis.url,
      queueName: "t1",
      concurrency: 4,
      jobOf: (a) => ({ id: jobIdOf("run1", a.hash), name: "square", data: { x: a.genome.x } }),
      pollMs: 200,
      log: quiet,
    });
    try {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map((x) => engine.evaluate(ask(x, x))));
      assert.deepEqual(results.map((r) => r.y), [1, 4, 9, 16, 25, 36]);
      assert.ok(new Set(results.map((r) => r.by)).size >= 1);
      // a resumed coordinator re-adds a finished job: result collected, nothing re-run
      const again = await engine.evaluate(ask(3, 3));
      assert.equal(again.y, 9);
      assert.deepEqual([...runs.values()], [1, 1, 1, 1, 1, 1]);
      const c = await engine.counts();
      assert.equal(c.completed, 6);
      assert.equal(engine.latencies().pickupMs.length, 6);
    } finally {
      await engine.close();
      await Promise.all(workers.map((w) => w.close()));
      await redis.stop();
    }
  },
});

Deno.test({
  name: "queue: a job failing every attempt rejects with its error; a malformed payload fails " +
    "once, the worker goes on",
  ...opts,
  async fn() {
    const redis = await startLocalRedis();
    let attemptsSeen = 0;
    const lines: string[] = [];
    const worker = serveQueue<Task, { y: number }>({
      url: redis.url,
      queueName: "t2",
      name: "square",
      concurrency: 1,
      parse,
      handle: (t) => {
        if (t.failTimes) {
          attemptsSeen++;
          return Promise.reject(new Error("out of memory (simulated)"));
        }
        return Promise.resolve({ y: t.x * t.x });
      },
      log: (l) => lines.push(l),
    });
    const engine = queueEngine<{ x: number | string; failTimes?: number }, { y: number }>({
      url: redis.url,
      queueName: "t2",
      concurrency: 2,
      attempts: 3,
      jobOf: (a) => ({ id: jobIdOf("run2", a.hash), name: "square", data: a.genome }),
      pollMs: 200,
      log: quiet,
    });
    try {
      await assert.rejects(
        engine.evaluate({ ...ask(0, 0), hash: "bad", genome: { x: 1, failTimes: 9 } }),
        /failed after 3 attempt\(s\): out of memory \(simulated\)/,
      );
      assert.equal(attemptsSeen, 3);
      await assert.rejects(
        engine.evaluate({ ...ask(1, 0), hash: "malformed", genome: { x: "seven" } }),
        /failed after 1 attempt\(s\): job run2\.malformed: field x: expected a number, got string/,
      );
      const ok = await engine.evaluate(ask(2, 7));
      assert.equal(ok.y, 49);
      assert.ok(lines.some((l) => /malformed.*field x/.test(l)), lines.join("\n"));
    } finally {
      await engine.close();
      await worker.close();
      await redis.stop();
    }
  },
});

Deno.test({
  name: "queue: Redis restarted (its data lost) mid-run: lines say so, jobs are enqueued again, " +
    "every ask resolves",
  ...opts,
  async fn() {
    const redis = await startLocalRedis();
    const lines: string[] = [];
    const worker = serveQueue<Task, { y: number }>({
      url: redis.url,
      queueName: "t3",
      name: "square",
      concurrency: 2,
      parse,
      handle: async (t) => {
        await new Promise((r) => setTimeout(r, 400));
        return { y: t.x * t.x };
      },
      log: (l) => lines.push(l),
    });
    const engine = queueEngine<{ x: number }, { y: number }>({
      url: redis.url,
      queueName: "t3",
      concurrency: 4,
      jobOf: (a) => ({ id: jobIdOf("run3", a.hash), name: "square", data: { x: a.genome.x } }),
      pollMs: 200,
      log: (l) => lines.push(l),
    });
    try {
      const pending = [1, 2, 3, 4].map((x) => engine.evaluate(ask(x, x)));
      await new Promise((r) => setTimeout(r, 150));
      await redis.restart(1500);
      const results = await Promise.all(pending);
      assert.deepEqual(results.map((r) => r.y), [1, 4, 9, 16]);
      assert.ok(lines.some((l) => /unreachable .*retry \d+ in/.test(l)), lines.join("\n"));
    } finally {
      await engine.close();
      await worker.close();
      await redis.stop();
    }
  },
});

Deno.test({
  name: "queue: Redis down for longer than giveUpMs rejects evaluations after onUnavailable",
  ...opts,
  async fn() {
    const redis = await startLocalRedis();
    let told = "";
    const engine = queueEngine<{ x: number }, { y: number }>({
      url: redis.url,
      queueName: "t4",
      concurrency: 1,
      jobOf: (a) => ({ id: jobIdOf("run4", a.hash), name: "square", data: { x: a.genome.x } }),
      pollMs: 100,
      giveUpMs: 1500,
      onUnavailable: (e) => told = e.message,
      log: quiet,
    });
    try {
      const p = engine.evaluate(ask(1, 1)); // no worker: it waits
      await new Promise((r) => setTimeout(r, 300));
      await redis.stop();
      await assert.rejects(p, /unreachable for \d+ s \(give-up after 1\.5 s\)/);
      assert.match(told, /give-up/);
    } finally {
      await engine.close();
    }
  },
});

Deno.test({
  name: "queue: bad URLs and an unreachable Redis get one clear error",
  ...opts,
  async fn() {
    assert.throws(() => parseRedisUrl("http://x"), /scheme http: is not redis: or rediss:/);
    assert.throws(() => parseRedisUrl("redis://h/abc"), /database "abc" is not an integer/);
    assert.deepEqual(parseRedisUrl("rediss://u:p%40ss@example.org:7000/2"), {
      host: "example.org",
      port: 7000,
      db: 2,
      tls: true,
      username: "u",
      password: "p@ss",
    });
    assert.equal(redactUrl("rediss://u:secret@h:1"), "rediss://u:***@h:1");
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    await assert.rejects(
      checkRedis(`redis://127.0.0.1:${port}`, 1000),
      new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port} .*ECONNREFUSED`),
    );
  },
});
