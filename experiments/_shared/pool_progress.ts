/**
 * Progress of a phase that runs on a worker pool: a bar on a terminal; in a log, a line at
 * least every 30 s with the tasks finished, the elapsed time, the rate and what is running now
 * (each task's own step count from `taskProgress`), e.g.
 * `adabert: 3  12m 10s  4m 03s each  running: adabert_search 140/300 steps (6m 02s), ...`.
 */
import { describeActivity, type WorkerPool } from "../../lib/backend/mod.ts";
import type { TaskMap } from "../../lib/backend/mod.ts";
import { createProgress } from "../../lib/viz/mod.ts";

export interface PoolProgress {
  /** Shows the count now (it is also refreshed every second). */
  tick(): void;
  /** The last line; stops the timer. */
  done(): void;
}

export function poolProgress<M extends TaskMap>(
  label: string,
  pool: WorkerPool<M>,
  options: { total?: number } = {},
): PoolProgress {
  const base = pool.activity().finished;
  const bar = createProgress({
    label: `${label} (tasks finished)`,
    ...(options.total ? { total: options.total } : {}),
    everyTenth: false,
    lineIntervalMs: 30_000,
    heartbeatMs: 0, // the timer below refreshes the count; a line is due every 30 s
    status: () => describeActivity(pool.activity()),
  });
  const finished = () => pool.activity().finished - base;
  const timer = setInterval(() => bar.update(finished()), 1000);
  Deno.unrefTimer(timer as unknown as number);
  bar.update(0);
  return {
    tick: () => bar.update(finished()),
    done: () => {
      clearInterval(timer);
      bar.update(finished());
      bar.done();
    },
  };
}
