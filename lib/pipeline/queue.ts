/**
 * lib/pipeline's queue surface: candidate jobs on Redis (BullMQ). A third entry point beside
 * mod.ts and tfjs.ts because BullMQ's dependencies read the whole environment when loaded
 * (`debug` enumerates it), which the tasks' narrow `--allow-env` lists refuse: only the worker
 * task, the coordinator with `--engine bullmq` (a dynamic import) and the bench load it.
 */
export { bullmqEngine, type BullmqEngineOptions } from "./bullmq_engine.ts";
export {
  DEFAULT_QUEUE,
  type QueueWorker,
  type QueueWorkerOptions,
  runQueueWorker,
} from "./queue_worker.ts";
export {
  CANDIDATE_JOB,
  type CandidateJob,
  candidateJobOf,
  CandidateJobSchema,
  parseCandidateJob,
} from "./queue_jobs.ts";
