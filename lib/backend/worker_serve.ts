/**
 * Worker side of `createWorkerPool`: `serveWorker<Tasks>({ kindA: async (task) => result, … })`
 * inside a worker module, one handler per task kind of the module's `TaskMap`. Calls
 * `initBackend()` once before the first task; errors thrown by a handler go back to the pool with
 * their stack; a task of a kind the module does not serve is answered with an error that lists
 * the kinds it does.
 *
 * A handler reports how far it is with `taskProgress(done, total, unit)`: the pool keeps the
 * latest report of each running task (`pool.activity()`), which the command line shows while a
 * long phase runs. Outside a pool worker `taskProgress` does nothing.
 */
import { initBackend } from "./mod.ts";
import type { FromWorker, TaskMap, ToWorker } from "./worker_pool.ts";

/** One handler per task kind. */
export type TaskHandlers<M extends TaskMap> = {
  [K in keyof M]: (task: M[K]["task"]) => M[K]["result"] | Promise<M[K]["result"]>;
};

/** The task this worker is running (a worker runs one at a time) and where to post reports. */
let current: { id: number; post: (msg: FromWorker) => void; last: number } | null = null;

/**
 * Reports the running task's progress to the pool (at most 2 messages a second; the last one,
 * done === total, always goes). A no-op outside a task served by `serveWorker`.
 */
export function taskProgress(done: number, total: number, unit = "steps"): void {
  if (current === null) return;
  const t = performance.now();
  if (done < total && t - current.last < 500) return;
  current.last = t;
  current.post({ id: current.id, progress: { done, total, unit } });
}

export function serveWorker<M extends TaskMap>(handlers: TaskHandlers<M>): void {
  const scope = globalThis as unknown as {
    onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
    postMessage(msg: FromWorker): void;
    name?: string;
  };
  const ready = initBackend();
  // the pool waits for this before terminating a worker (worker_pool.ts: terminating one that
  // is still instantiating the wasm backend can crash the process at exit)
  ready.finally(() => scope.postMessage({ ready: true })).catch(() => {});
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
      current = { id, post: (msg) => scope.postMessage(msg), last: -Infinity };
      const result = await handlers[kind as keyof M](task as M[keyof M]["task"]);
      current = null;
      scope.postMessage({ id, ok: true, result });
    } catch (e) {
      current = null;
      const err = e instanceof Error ? e : new Error(String(e));
      scope.postMessage({
        id,
        ok: false,
        error: { name: err.name, message: err.message, stack: err.stack },
      });
    }
  };
}
