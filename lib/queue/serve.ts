/**
 * The worker side of the queue: takes jobs of one queue, validates each payload, runs the
 * handler, returns its plain-JSON result. A payload that fails validation (malformed, another
 * queue's or another version's job) fails at once with BullMQ's UnrecoverableError and a message
 * naming the job and the field: the worker logs it and goes on with the next job.
 *
 * Stalled jobs (a worker killed mid-job): the job's lock (`lockMs`, default 30 s, renewed at half
 * of it while the handler runs) expires, BullMQ's stalled-job check (every `lockMs`) hands it to
 * another worker; `maxStalledCount` 2 lets a job survive two such kills before it fails. The
 * handler must leave this process's event loop free (run heavy work in Deno Workers), or the lock
 * is not renewed and a live job looks stalled.
 */
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { connectRedis } from "./redis.ts";

export interface ServeQueueOptions<T, R> {
  url: string;
  queueName: string;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** Job name this worker accepts. */
  name: string;
  /** Validates the payload; throws a TypeError naming the field (becomes UnrecoverableError). */
  parse: (data: unknown, jobId: string) => T;
  handle: (task: T, job: { id: string; attempt: number }) => Promise<R>;
  lockMs?: number;
  log?: (line: string) => void;
  /** Label in log lines. */
  label?: string;
}

export interface QueueServer {
  close(): Promise<void>;
  /** Resolves once the worker is connected and taking jobs. */
  ready(): Promise<void>;
}

export function serveQueue<T, R>(options: ServeQueueOptions<T, R>): QueueServer {
  const log = options.log ?? ((l: string) => console.log(l));
  const lockMs = options.lockMs ?? 30_000;
  const label = options.label ?? "worker";
  const processor = async (job: Job) => {
    const id = job.id ?? "?";
    if (job.name !== options.name) {
      throw new UnrecoverableError(
        `job ${id}: name "${job.name}" is not "${options.name}" (a job of another kind)`,
      );
    }
    let task: T;
    try {
      task = options.parse(job.data, id);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new UnrecoverableError(why.includes(`job ${id}`) ? why : `job ${id}: ${why}`);
    }
    return await options.handle(task, { id, attempt: job.attemptsMade + 1 });
  };
  const worker = new Worker(options.queueName, processor, {
    connection: connectRedis(options.url, { name: label, log }),
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 2,
  });
  worker.on("failed", (job, err) => {
    log(
      `${label}: job ${job?.id ?? "?"} failed (attempt ${
        job?.attemptsMade ?? "?"
      }): ${err.message}`,
    );
  });
  worker.on("error", () => {}); // connection errors: reported by connectRedis's retry lines
  return {
    ready: () => worker.waitUntilReady().then(() => {}),
    close: () => worker.close(),
  };
}

/** An error the queue must not retry (bad payload, a checkout that differs): fails the job now. */
export function permanentError(message: string): Error {
  return new UnrecoverableError(message);
}
