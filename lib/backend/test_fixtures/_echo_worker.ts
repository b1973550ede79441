/**
 * Test worker for worker_pool_test.ts (`EchoTasks`):
 * echo { value } -> { value, backend }
 * spin { ms } -> busy-waits `ms` of CPU, returns { start, end } (performance.timeOrigin based)
 * throw { message } -> throws Error(message)
 * crash {} -> throws from a timer (uncaught: the worker dies)
 * steps { steps, ms } -> reports taskProgress after each of `steps` waits of `ms`
 */
import { serveWorker, taskProgress } from "../worker_serve.ts";
import { getBackendReport } from "../mod.ts";

export type EchoTasks = {
  echo: { task: { value: unknown }; result: { value: unknown; backend: string | null } };
  spin: { task: { ms: number }; result: { start: number; end: number; x: number } };
  throw: { task: { message: string }; result: never };
  crash: { task: Record<string, never>; result: never };
  steps: { task: { steps: number; ms: number }; result: number };
};

function deepHelper(message: string): never {
  throw new Error(message);
}

serveWorker<EchoTasks>({
  echo: (task) => ({ value: task.value, backend: getBackendReport()?.backend ?? null }),
  spin: (task) => {
    const start = performance.timeOrigin + performance.now();
    let x = 0;
    while (performance.timeOrigin + performance.now() - start < task.ms) x += Math.sqrt(x + 1);
    return { start, end: performance.timeOrigin + performance.now(), x };
  },
  throw: (task) => deepHelper(task.message),
  steps: async (task) => {
    for (let i = 1; i <= task.steps; i++) {
      await new Promise((r) => setTimeout(r, task.ms));
      taskProgress(i, task.steps, "batches");
    }
    return task.steps;
  },
  crash: () => {
    setTimeout(() => {
      throw new Error("worker crashed on purpose");
    }, 0);
    return new Promise<never>(() => {}); // never settles
  },
});
