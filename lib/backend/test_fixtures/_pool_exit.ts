/**
 * Fixture of worker_pool_exit_test.ts: two workers load the tfjs wasm backend and answer one task
 * each, the pool is closed (awaited) and the process ends at once. Prints "closed" last.
 */
import { createWorkerPool } from "../worker_pool.ts";
import type { EchoTasks } from "./_echo_worker.ts";

const pool = createWorkerPool<EchoTasks>(
  new URL("./_echo_worker.ts", import.meta.url),
  { size: 2, closeGraceMs: Number(Deno.args[0] ?? 250) },
);
await Promise.all([pool.run("echo", { value: 1 }), pool.run("echo", { value: 2 })]);
await pool.close();
console.log("closed");
