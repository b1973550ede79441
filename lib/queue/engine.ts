/**
 * The BullMQ evaluation engine (lib/search `EvaluationEngine`): each ask becomes one job on a
 * Redis queue, workers anywhere (lib/queue `serveQueue`) evaluate it, and `evaluate` resolves
 * with the job's return value. The search loop stays in the coordinator: it keeps the strategy
 * and the run record and appends each result once (lib/search `runSearchLoop`).
 *
 * - Idempotent: the job id comes from the caller (run id + genome hash, `jobIdOf`); adding an id
 *   that exists is a no-op in BullMQ, so a resumed coordinator re-attaches to jobs enqueued or
 *   finished before it was killed, and collects finished results without re-running them.
 * - Retries: `attempts` (default 3) with exponential backoff; a job that fails them all (or
 *   throws BullMQ's UnrecoverableError, e.g. a malformed payload) makes `evaluate` reject with
 *   the job's error: the loop records a failed candidate and the search goes on.
 * - Completion is noticed through QueueEvents, with a state poll every `pollMs` as a fallback
 *   (events are not replayed across a Redis restart). A job that vanished (a Redis restarted
 *   without persistence) is enqueued again.
 * - Redis unreachable for longer than `giveUpMs` (default 30 min): `onUnavailable` is called
 *   first (the coordinator aborts its loop, so nothing is recorded as failed), then every
 *   pending `evaluate` rejects with `QueueUnavailableError`. Shorter outages only delay.
 */
import { Job, Queue, QueueEvents } from "bullmq";
import type { Ask, EvaluationEngine, EvaluationResult } from "../search/mod.ts";
import { connectRedis, redactUrl } from "./redis.ts";

export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
}

export interface QueueJob {
  /** Job id (`jobIdOf(runId, hash)`). */
  id: string;
  /** Job name (shown in BullMQ tools; the worker checks it). */
  name: string;
  /** Plain JSON payload; never code. */
  data: unknown;
}

export interface QueueEngineOptions<G, R> {
  url: string;
  queueName: string;
  /** Asks in flight at most (the total slots of the workers the user runs). */
  concurrency: number;
  jobOf: (ask: Ask<G>, context: unknown) => QueueJob;
  /** Validates a job's return value (default: accept plain objects). */
  parseResult?: (value: unknown, job: QueueJob) => R;
  attempts?: number;
  pollMs?: number;
  giveUpMs?: number;
  onUnavailable?: (error: QueueUnavailableError) => void;
  log?: (line: string) => void;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

export interface QueueEngine<G, R extends EvaluationResult> extends EvaluationEngine<G, R> {
  /** Job counts of the queue (for the progress line). */
  counts(): Promise<QueueCounts>;
  /** Per-job times measured by this engine: enqueue -> picked up, and finish -> noticed. */
  latencies(): { pickupMs: number[]; noticeMs: number[] };
  close(): Promise<void>;
}

export function queueEngine<G, R extends EvaluationResult>(
  options: QueueEngineOptions<G, R>,
): QueueEngine<G, R> {
  const attempts = options.attempts ?? 3;
  const pollMs = options.pollMs ?? 1000;
  const giveUpMs = options.giveUpMs ?? 30 * 60_000;
  const log = options.log ?? ((l: string) => console.error(l));
  const connection = connectRedis(options.url, { name: "coordinator", log });
  const queue = new Queue(options.queueName, { connection });
  const eventsConnection = connectRedis(options.url, { name: "coordinator events", log: () => {} });
  const events = new QueueEvents(options.queueName, { connection: eventsConnection });
  const wakers = new Map<string, Set<() => void>>();
  const wakeUp = ({ jobId }: { jobId: string }) => {
    for (const w of wakers.get(jobId) ?? []) w();
  };
  events.on("completed", wakeUp);
  events.on("failed", wakeUp);
  events.on("error", () => {}); // reported by the connection's retry lines
  const pickupMs: number[] = [], noticeMs: number[] = [];
  let closed = false;

  // Outage watchdog: Redis down for longer than giveUpMs rejects every pending evaluation.
  let downSince: number | null = null;
  let unavailable: QueueUnavailableError | null = null;
  const giveUpListeners = new Set<(e: QueueUnavailableError) => void>();
  connection.on("close", () => downSince ??= Date.now());
  connection.on("ready", () => downSince = null);
  const watchdog = setInterval(() => {
    if (unavailable || downSince === null || Date.now() - downSince < giveUpMs) return;
    unavailable = new QueueUnavailableError(
      `Redis at ${redactUrl(options.url)} unreachable for ${
        Math.round((Date.now() - downSince) / 1000)
      } s (give-up after ${giveUpMs / 1000} s); evaluations in flight are not recorded`,
    );
    options.onUnavailable?.(unavailable);
    for (const l of giveUpListeners) l(unavailable);
  }, Math.min(1000, giveUpMs));

  const sleepOrWake = (id: string) =>
    new Promise<void>((resolve) => {
      const set = wakers.get(id) ?? new Set();
      wakers.set(id, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) wakers.delete(id);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      set.add(done);
    });

  const add = (job: QueueJob) =>
    queue.add(job.name, job.data, {
      jobId: job.id,
      attempts,
      backoff: { type: "exponential", delay: 2000 },
      removeOnComplete: false,
      removeOnFail: false,
    });

  async function follow(job: QueueJob): Promise<R> {
    const enqueued = Date.now();
    await add(job);
    let seenActive = false;
    while (!closed && !unavailable) {
      const current = await Job.fromId(queue, job.id);
      if (!current) {
        log(`queue: job ${job.id} vanished (Redis restarted without its data?); enqueued again`);
        await add(job);
        continue;
      }
      const state = await current.getState();
      if (!seenActive && current.processedOn) {
        seenActive = true;
        if (current.processedOn >= enqueued) pickupMs.push(current.processedOn - enqueued);
      }
      if (state === "completed" || state === "failed") {
        // the Job read above may predate the state change: read it again for its outcome
        const finished = await Job.fromId(queue, job.id);
        if (!finished) continue;
        if (state === "failed") {
          throw new Error(
            `job ${job.id} failed after ${finished.attemptsMade} attempt(s): ` +
              `${finished.failedReason}`,
          );
        }
        if (finished.finishedOn && finished.finishedOn >= enqueued) {
          noticeMs.push(Math.max(0, Date.now() - finished.finishedOn));
        }
        const value = finished.returnvalue;
        return options.parseResult ? options.parseResult(value, job) : value as R;
      }
      await sleepOrWake(job.id);
    }
    throw unavailable ?? new QueueUnavailableError(`queue engine closed while job ${job.id} ran`);
  }

  return {
    concurrency: options.concurrency,
    evaluate(ask, context) {
      if (unavailable) return Promise.reject(unavailable);
      const job = options.jobOf(ask, context);
      return new Promise<R>((resolve, reject) => {
        const onGiveUp = (e: QueueUnavailableError) => reject(e);
        giveUpListeners.add(onGiveUp);
        follow(job).then(resolve, reject).finally(() => giveUpListeners.delete(onGiveUp));
      });
    },
    async counts() {
      const c = await queue.getJobCounts("waiting", "active", "completed", "failed", "delayed");
      return {
        waiting: c.waiting ?? 0,
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        delayed: c.delayed ?? 0,
      };
    },
    latencies: () => ({ pickupMs: [...pickupMs], noticeMs: [...noticeMs] }),
    async close() {
      closed = true;
      clearInterval(watchdog);
      for (const set of wakers.values()) for (const w of set) w();
      // a clean close needs Redis; with Redis down, disconnect after 2 s instead of hanging
      const graceful = Promise.allSettled([queue.close(), events.close()]);
      await Promise.race([graceful, new Promise((r) => setTimeout(r, 2000))]);
      connection.disconnect();
      eventsConnection.disconnect();
    },
  };
}
