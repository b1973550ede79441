/**
 * lib/queue: candidate evaluation on a Redis job queue (BullMQ), no tfjs. The coordinator side
 * is an `EvaluationEngine` (`queueEngine`), the worker side `serveQueue`; what a job carries and
 * how a worker runs it belong to the pipeline (lib/pipeline queue_jobs.ts, queue_worker.ts).
 */
export {
  type QueueCounts,
  type QueueEngine,
  queueEngine,
  type QueueEngineOptions,
  type QueueJob,
  QueueUnavailableError,
} from "./engine.ts";
export { jobIdOf } from "./job_id.ts";
export {
  backoffMs,
  checkRedis,
  connectRedis,
  DEFAULT_REDIS_URL,
  parseRedisUrl,
  redactUrl,
  type RedisTarget,
} from "./redis.ts";
export { permanentError, type QueueServer, serveQueue, type ServeQueueOptions } from "./serve.ts";
export { type LocalRedis, startLocalRedis } from "./local_redis.ts";
