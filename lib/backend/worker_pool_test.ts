import assert from "node:assert/strict";
import { createWorkerPool, type TaskMap, type WorkerPool } from "./worker_pool.ts";
import type { EchoTasks } from "./test_fixtures/_echo_worker.ts";

const ECHO = new URL("./test_fixtures/_echo_worker.ts", import.meta.url);

Deno.test({
  name: "worker pool: results, errors with the worker's stack, crash replaced, " +
    "two CPU tasks in parallel",
  sanitizeResources: false, // workers load wasm; terminated at close()
  sanitizeOps: false,
  async fn() {
    const pool = createWorkerPool<EchoTasks>(ECHO, {
      size: 2,
    });
    try {
      const echo = await pool.run("echo", { value: { a: [1, 2], s: "x" } });
      assert.deepEqual(echo.value, { a: [1, 2], s: "x" });
      assert.equal(echo.backend, "wasm", "each worker ran initBackend itself");

      const err = await pool.run("throw", { message: "bad input 42" }).then(
        () => null,
        (e) => e as Error,
      );
      assert.ok(err instanceof Error);
      assert.match(
        err.message,
        /task \d+ failed in worker rosearch-worker-\d: Error: bad input 42/,
      );
      assert.match(err.stack!, /worker stack[\s\S]*deepHelper[\s\S]*_echo_worker\.ts/);

      const foreign = pool as unknown as WorkerPool<TaskMap>;
      await assert.rejects(
        foreign.run("nope", {}),
        /unknown task kind "nope"; allowed: echo, spin, throw, steps, crash/,
      );

      const crashed = await pool.run("crash", {}).then(() => null, (e) => e as Error);
      assert.match(
        crashed!.message,
        /crashed while running task \d+: .*worker crashed on purpose.*the worker was replaced/,
      );
      // The pool still has two working workers.
      const after = await Promise.all([
        pool.run("echo", { value: 1 }),
        pool.run("echo", { value: 2 }),
      ]);
      assert.deepEqual(after.map((r) => r.value), [1, 2]);

      // Two CPU-bound tasks overlap in time (2 workers, 2 cores); a third waits for a free worker.
      const ms = 400;
      const t0 = performance.now();
      const spins = await Promise.all([1, 2, 3].map(() => pool.run("spin", { ms })));
      const wall = performance.now() - t0;
      const [a, b] = spins as { start: number; end: number }[];
      const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
      assert.ok(overlap > ms * 0.5, `first two tasks overlap ${overlap.toFixed(0)} ms`);
      assert.ok(wall < 3 * ms * 0.9, `3 tasks of ${ms} ms on 2 workers took ${wall.toFixed(0)} ms`);
    } finally {
      // close() resolves only after its grace period (the workers tear down before an exit)
      const t0 = performance.now();
      await pool.close();
      const waited = performance.now() - t0;
      assert.ok(waited >= 240, `close() resolved after ${waited.toFixed(0)} ms, not its 250 ms`);
      assert.equal(pool.close(), pool.close(), "close() is idempotent");
    }
    await assert.rejects(pool.run("echo", { value: 0 }), /after close/);
    assert.throws(() => createWorkerPool(ECHO, { size: 0 }), /positive integer/);
  },
});

Deno.test({
  name: "worker pool: activity() shows running tasks with their own progress reports",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const pool = createWorkerPool<EchoTasks>(ECHO, { size: 1 });
    try {
      assert.deepEqual(pool.activity(), { queued: 0, finished: 0, running: [] });
      const a = pool.run("steps", { steps: 6, ms: 150 });
      const b = pool.run("echo", { value: 1 });
      let seen = pool.activity();
      for (let i = 0; i < 100 && !seen.running[0]?.progress; i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = pool.activity();
      }
      assert.equal(seen.queued, 1);
      assert.equal(seen.running.length, 1);
      assert.equal(seen.running[0].kind, "steps");
      const p = seen.running[0].progress!;
      assert.ok(p.done >= 1 && p.done < 6 && p.total === 6 && p.unit === "batches", `${p.done}`);
      assert.ok(seen.running[0].seconds > 0);
      assert.equal(await a, 6);
      await b;
      assert.deepEqual(pool.activity(), { queued: 0, finished: 2, running: [] });
    } finally {
      await pool.close();
    }
  },
});
