/**
 * Test worker for worker_pool_test.ts. Tasks:
 * { kind: "echo", value } -> { value, backend }
 * { kind: "spin", ms } -> busy-waits `ms` of CPU, returns { start, end } (performance.timeOrigin based)
 * { kind: "throw", message } -> throws Error(message)
 * { kind: "crash" } -> throws from a timer (uncaught: the worker dies)
 */
import { serveWorker } from "../worker_serve.ts";
import { getBackendReport } from "../mod.ts";

type Task =
  | { kind: "echo"; value: unknown }
  | { kind: "spin"; ms: number }
  | { kind: "throw"; message: string }
  | { kind: "crash" };

function deepHelper(message: string): never {
  throw new Error(message);
}

serveWorker((task: Task) => {
  switch (task.kind) {
    case "echo":
      return { value: task.value, backend: getBackendReport()?.backend ?? null };
    case "spin": {
      const start = performance.timeOrigin + performance.now();
      let x = 0;
      while (performance.timeOrigin + performance.now() - start < task.ms) x += Math.sqrt(x + 1);
      return { start, end: performance.timeOrigin + performance.now(), x };
    }
    case "throw":
      return deepHelper(task.message);
    case "crash":
      setTimeout(() => {
        throw new Error("worker crashed on purpose");
      }, 0);
      return new Promise(() => {}); // never settles
  }
});
