/**
 * Worker side of `createWorkerPool`: `serveWorker<Tasks>({ kindA: async (task) => result, … })`
 * inside a worker module, one handler per task kind of the module's `TaskMap`. Calls
 * `initBackend()` once before the first task; errors thrown by a handler go back to the pool with
 * their stack; a task of a kind the module does not serve is answered with an error that lists
 * the kinds it does.
 */
import { initBackend } from "./mod.ts";
import type { FromWorker, TaskMap, ToWorker } from "./worker_pool.ts";

/** One handler per task kind. */
export type TaskHandlers<M extends TaskMap> = {
  [K in keyof M]: (task: M[K]["task"]) => M[K]["result"] | Promise<M[K]["result"]>;
};

export function serveWorker<M extends TaskMap>(handlers: TaskHandlers<M>): void {
  const scope = globalThis as unknown as {
    onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
    postMessage(msg: FromWorker): void;
    name?: string;
  };
  const ready = initBackend();
  const kinds = Object.keys(handlers);
  scope.onmessage = async (ev) => {
    const { id, kind, task } = ev.data;
    try {
      await ready;
      if (!Object.hasOwn(handlers, kind)) {
        throw new TypeError(
          `worker ${scope.name ?? ""}: unknown task kind ${JSON.stringify(kind)}; ` +
            `allowed: ${kinds.join(", ")}`,
        );
      }
      const result = await handlers[kind as keyof M](task as M[keyof M]["task"]);
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
