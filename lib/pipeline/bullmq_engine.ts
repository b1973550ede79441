/**
 * The BullMQ evaluation engine of the pipeline: lib/queue's `queueEngine` with RoSearch
 * candidate jobs (queue_jobs.ts). One job per candidate, id = run id + genome hash; workers
 * (`deno task worker`, queue_worker.ts) anywhere evaluate them. Counterpart of `localEngine`.
 */
import {
  jobIdOf,
  type QueueEngine,
  queueEngine,
  type QueueUnavailableError,
} from "../queue/mod.ts";
import type { Ask } from "../search/mod.ts";
import type { Genome } from "../search_space/mod.ts";
import type { CandidateResult, CandidateTask } from "./evaluate_candidate.ts";
import { CANDIDATE_JOB, candidateJobOf } from "./queue_jobs.ts";
import { DEFAULT_QUEUE } from "./queue_worker.ts";

export interface BullmqEngineOptions {
  url: string;
  runId: string;
  /** Asks in flight at most (the workers' slots in all). */
  concurrency: number;
  /** The teacher folder relative to the repository, and its model.safetensors sha256. */
  teacherPath: string;
  teacherSha256: string;
  queueName?: string;
  attempts?: number;
  giveUpMs?: number;
  onUnavailable?: (e: QueueUnavailableError) => void;
  log?: (line: string) => void;
}

export function bullmqEngine(
  options: BullmqEngineOptions,
  taskOf: (ask: Ask<Genome>, context: unknown) => CandidateTask,
): QueueEngine<Genome, CandidateResult & Record<string, unknown>> {
  if (options.teacherPath.startsWith("/") || options.teacherPath.split("/").includes("..")) {
    throw new TypeError(
      `--engine bullmq: the teacher (${options.teacherPath}) must be inside the repository, ` +
        `so that every worker reads it from its own checkout`,
    );
  }
  return queueEngine<Genome, CandidateResult & Record<string, unknown>>({
    url: options.url,
    queueName: options.queueName ?? DEFAULT_QUEUE,
    concurrency: options.concurrency,
    attempts: options.attempts,
    giveUpMs: options.giveUpMs,
    onUnavailable: options.onUnavailable,
    log: options.log,
    jobOf: (ask, context) => ({
      id: jobIdOf(options.runId, ask.hash),
      name: CANDIDATE_JOB,
      data: candidateJobOf(taskOf(ask, context), {
        runId: options.runId,
        teacherPath: options.teacherPath,
        teacherSha256: options.teacherSha256,
      }),
    }),
  });
}
