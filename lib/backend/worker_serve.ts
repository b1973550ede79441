/**
 * Worker side of `createWorkerPool`: `serveWorker(async (task) => result)` inside a worker module.
 * Calls `initBackend()` once before the first task; errors thrown by the handler go back to the
 * pool with their stack.
 */
import { initBackend } from "./mod.ts";
import type { FromWorker, ToWorker } from "./worker_pool.ts";

export function serveWorker<T = unknown, R = unknown>(handler: (task: T) => R | Promise<R>): void {
  const scope = globalThis as unknown as {
    onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
    postMessage(msg: FromWorker): void;
  };
  const ready = initBackend();
  scope.onmessage = async (ev) => {
    const { id, task } = ev.data;
    try {
      await ready;
      const result = await handler(task as T);
      scope.postMessage({ id, ok: true, result });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      scope.postMessage({
        id,
        ok: false,
        error: { name: err.name, message: err.message, stack: err.stack },
      });
    }
  };
}
