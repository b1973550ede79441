/**
 * A small pool of Deno module Workers, typed by the worker module's task map (`TaskMap`: task
 * kind -> { task, result }), so `pool.run("candidate", task)` has the candidate's result type and
 * a wrong task kind or payload is a type error. Tasks and results are structured-clonable; each
 * worker runs one task at a time; a task's error comes back with the worker's stack; a worker
 * that crashes (uncaught error outside the task promise) rejects its task with a clear error
 * and is replaced. Workers inherit the parent's permissions (Deno's per-worker permissions
 * are unstable). The worker module calls `serveWorker(handler)` from `worker_serve.ts`,
 * which runs `initBackend()` in the worker before the first task.
 *
 * `close()` is asynchronous: after terminating the workers it waits `closeGraceMs` (default
 * 1,000 ms) before resolving; await it before the process ends. Measured with Deno 2.9.6 here: a
 * process exiting within milliseconds of terminating Workers that loaded the tfjs wasm backend
 * sometimes segfaults at exit (5 of 28 runs in one loaded window, none of 50 with a 50-500 ms
 * wait; see worker_pool_exit_test.ts); with 250 ms, one `deno task mate-kd --resume` still
 * segfaulted at exit (code 139, after writing its results) in a loaded CI run on 2026-12-03,
 * hence 1,000 ms. The crashes seen since (exit 134 "double free or corruption", a resumed
 * `adabert --quick` with nothing left to do, 2026-12-03) came from terminating workers that were
 * still instantiating the wasm backend; `close()` therefore first waits (at most
 * `readyTimeoutMs`, default 20 s) until every worker has reported its backend ready.
 */

export interface WorkerPoolOptions {
  /** Number of workers (default 2: one tfjs wasm backend per core on these machines). */
  size?: number;
  /** Prefix of the workers' names (default "rosearch-worker"). */
  name?: string;
  /** Wait after terminating the workers in `close()` (default 1,000 ms; see above). */
  closeGraceMs?: number;
  /** Longest wait in `close()` for workers still starting up (default 20,000 ms). */
  readyTimeoutMs?: number;
}

/**
 * What a worker module serves: for each task kind, the task it takes and the result it returns.
 * Both must be structured-clonable (plain data).
 */
export type TaskMap = { [kind: string]: { task: unknown; result: unknown } };

/** What a pool is doing now (for progress lines). */
export interface PoolActivity {
  queued: number;
  /** Tasks finished (resolved or rejected) since the pool was created. */
  finished: number;
  running: {
    kind: string;
    seconds: number;
    /** The task's last `taskProgress` report, if any. */
    progress?: TaskProgress;
  }[];
}

export interface TaskProgress {
  done: number;
  total: number;
  unit: string;
}

export interface WorkerPool<M extends TaskMap> {
  readonly size: number;
  activity(): PoolActivity;
  /** Runs one task of kind `kind` on the next idle worker. */
  run<K extends keyof M & string>(kind: K, task: M[K]["task"]): Promise<M[K]["result"]>;
  /** Terminates every worker (queued and running tasks reject), then waits `closeGraceMs`. */
  close(): Promise<void>;
}

/** Messages between the pool and `serveWorker`. */
export type ToWorker = { id: number; kind: string; task: unknown };
export type FromWorker =
  | { ready: true }
  | { id: number; progress: TaskProgress }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

interface Job {
  id: number;
  kind: string;
  task: unknown;
  resolve: (r: never) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  index: number;
  started: number;
  progress?: TaskProgress;
  /** Resolves when the worker reported its backend ready (or died). */
  ready: Promise<void>;
  markReady: () => void;
}

/** Rebuilds a worker-side error on the main side, keeping the worker's stack. */
function remoteError(e: { name: string; message: string; stack?: string }, where: string): Error {
  const err = new Error(`${where}: ${e.name}: ${e.message}`);
  err.name = e.name;
  err.stack = `${err.name}: ${err.message}\n  -- worker stack --\n${e.stack ?? "(none)"}`;
  return err;
}

export function createWorkerPool<M extends TaskMap>(
  moduleUrl: string | URL,
  options: WorkerPoolOptions = {},
): WorkerPool<M> {
  const size = options.size ?? 2;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`createWorkerPool: size must be a positive integer, got ${size}`);
  }
  const url = new URL(moduleUrl).href;
  const prefix = options.name ?? "rosearch-worker";
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let finished = 0;
  let closed = false;
  let closing: Promise<void> | null = null;
  const graceMs = options.closeGraceMs ?? 1000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;

  const spawn = (index: number): Slot => {
    const worker = new Worker(url, { type: "module", name: `${prefix}-${index}` });
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const slot: Slot = { worker, job: null, index, started: 0, ready, markReady };
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      const msg = ev.data;
      if ("ready" in msg) return slot.markReady();
      const job = slot.job;
      if (job == null || msg.id !== job.id) return;
      if ("progress" in msg) {
        slot.progress = msg.progress;
        return;
      }
      slot.job = null;
      slot.progress = undefined;
      finished++;
      if (msg.ok) job.resolve(msg.result as never);
      else job.reject(remoteError(msg.error, `task ${job.id} failed in worker ${prefix}-${index}`));
      pump();
    };
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault(); // keep the main process alive
      crash(slot, `${ev.message} (${ev.filename}:${ev.lineno})`);
    };
    worker.onmessageerror = () =>
      crash(slot, "a message from the worker could not be deserialised");
    return slot;
  };

  const crash = (slot: Slot, why: string) => {
    const job = slot.job;
    slot.job = null;
    slot.progress = undefined;
    slot.markReady();
    if (job) finished++;
    slot.worker.terminate();
    if (!closed) slots[slot.index] = spawn(slot.index);
    job?.reject(
      new Error(
        `worker ${prefix}-${slot.index} crashed while running task ${job.id}: ${why}; ` +
          "the worker was replaced",
      ),
    );
    pump();
  };

  const pump = () => {
    if (closed) return;
    for (const slot of slots) {
      if (slot.job != null || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.started = performance.now();
      try {
        slot.worker.postMessage({ id: job.id, kind: job.kind, task: job.task } satisfies ToWorker);
      } catch (e) {
        slot.job = null;
        job.reject(new TypeError(`task ${job.id} is not serialisable: ${(e as Error).message}`));
      }
    }
  };

  for (let i = 0; i < size; i++) slots.push(spawn(i));

  return {
    size,
    activity() {
      const t = performance.now();
      return {
        queued: queue.length,
        finished,
        running: slots.filter((s) => s.job !== null).map((s) => ({
          kind: s.job!.kind,
          seconds: (t - s.started) / 1000,
          ...(s.progress ? { progress: { ...s.progress } } : {}),
        })),
      };
    },
    run<K extends keyof M & string>(kind: K, task: M[K]["task"]): Promise<M[K]["result"]> {
      if (closed) return Promise.reject(new Error("createWorkerPool: run() after close()"));
      return new Promise<M[K]["result"]>((resolve, reject) => {
        queue.push({ id: nextId++, kind, task, resolve: resolve as (r: never) => void, reject });
        pump();
      });
    },
    close() {
      if (closing) return closing;
      closed = true;
      for (const job of queue.splice(0)) {
        job.reject(new Error(`worker pool closed before task ${job.id} ran`));
      }
      const terminate = () => {
        for (const slot of slots) {
          slot.worker.terminate();
          slot.job?.reject(new Error(`worker pool closed while task ${slot.job.id} was running`));
          slot.job = null;
        }
      };
      // workers still instantiating the wasm backend are not terminated (see the file comment)
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, readyTimeoutMs)));
      closing = Promise.race([Promise.all(slots.map((s) => s.ready)), timeout])
        .then(() => {
          clearTimeout(timer);
          terminate();
        })
        .then(() => new Promise<void>((resolve) => setTimeout(resolve, graceMs)));
      return closing;
    },
  };
}
