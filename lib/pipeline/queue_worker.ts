/**
 * A queue worker process (`deno task worker --redis URL`): takes RoSearch candidate jobs from
 * Redis (lib/queue `serveQueue`), checks them against its own checkout, and evaluates each on a
 * local Deno Worker pool of `concurrency` workers (so this process's event loop stays free to
 * renew the jobs' locks; a busy main thread would make live jobs look stalled).
 *
 * Per job: the payload is validated (`parseCandidateJob`); the teacher path is resolved inside
 * this checkout and its model.safetensors must have the job's sha256; the teacher caches are
 * built here once per (teacher, settings) on the pool and their keys must equal the
 * coordinator's (same teacher, tokenizer and examples). A mismatch fails the job permanently with
 * what differs (a worker on another commit or with other data must not produce results).
 */
import { createWorkerPool } from "../backend/mod.ts";
import { sha256File } from "../distill/mod.ts";
import { PROJECT_ROOT } from "../project/mod.ts";
import { permanentError, serveQueue } from "../queue/mod.ts";
import type { Genome } from "../search_space/mod.ts";
import type { CandidateResult } from "./evaluate_candidate.ts";
import { CANDIDATE_JOB, type CandidateJob, parseCandidateJob, thresholdOf } from "./queue_jobs.ts";
import type { EvalSettings } from "./settings.ts";
import { PIPELINE_WORKER, type PipelineTasks } from "./tasks.ts";
import type { PreparedTeacher } from "./teacher.ts";

export const DEFAULT_QUEUE = "rosearch";

export interface QueueWorkerOptions {
  url: string;
  queueName?: string;
  concurrency?: number;
  /** Job lock (ms); a killed worker's job is handed on after about this long. Default 30 s. */
  lockMs?: number;
  log?: (line: string) => void;
  /** Checkout the paths of jobs are resolved in (default this repository). */
  root?: string;
}

export interface QueueWorker {
  ready(): Promise<void>;
  close(): Promise<void>;
  /** Jobs finished by this process. */
  done(): number;
}

export function runQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const log = options.log ?? ((l: string) => console.log(l));
  const concurrency = options.concurrency ?? 1;
  const root = options.root ?? PROJECT_ROOT;
  const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, {
    size: concurrency,
    name: "queue-worker",
  });
  const shas = new Map<string, string>();
  const prepared = new Map<string, Promise<PreparedTeacher>>();
  let done = 0;

  const prepare = (dir: string, settings: EvalSettings) => {
    const key = JSON.stringify([dir, settings]);
    let p = prepared.get(key);
    if (!p) {
      log(`worker: building this checkout's teacher caches for ${dir.slice(root.length)}`);
      p = pool.run("prepare_teacher", { dir, settings });
      p.catch(() => prepared.delete(key));
      prepared.set(key, p);
    }
    return p;
  };

  const handle = async (job: CandidateJob, info: { id: string; attempt: number }) => {
    const dir = `${root}${job.teacher.path}`;
    let sha = shas.get(dir);
    if (!sha) {
      try {
        sha = sha256File(`${dir}/model.safetensors`);
      } catch (e) {
        throw permanentError(
          `job ${info.id}: teacher ${job.teacher.path}/model.safetensors not readable in this ` +
            `checkout (${root}): ${e instanceof Error ? e.message : e}`,
        );
      }
      shas.set(dir, sha);
    }
    if (sha !== job.teacher.sha256) {
      throw permanentError(
        `job ${info.id}: teacher ${job.teacher.path}/model.safetensors differs in this ` +
          `checkout (sha256 ${sha.slice(0, 12)}…, the job's ${job.teacher.sha256.slice(0, 12)}…)`,
      );
    }
    const prep = await prepare(dir, job.settings as EvalSettings);
    for (const which of ["proxy", "validation"] as const) {
      if (prep.caches[which].key !== job.cacheKeys[which]) {
        throw permanentError(
          `job ${info.id}: this checkout's ${which} examples differ from the coordinator's ` +
            `(teacher-cache key ${prep.caches[which].key} vs ${job.cacheKeys[which]}): another ` +
            `commit or other data files`,
        );
      }
    }
    const t0 = performance.now();
    log(`worker: job ${info.id} started (attempt ${info.attempt})`);
    const result = await pool.run("candidate", {
      genome: job.genome as Genome,
      threshold: thresholdOf(job),
      seed: job.seed,
      settings: job.settings as EvalSettings,
      teacher: { dir, params: job.teacher.params, latencyMs: job.teacher.latencyMs },
      caches: prep.caches,
    });
    done++;
    log(
      `worker: job ${info.id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
        `(attempt ${info.attempt})`,
    );
    return result;
  };

  const server = serveQueue<CandidateJob, CandidateResult>({
    url: options.url,
    queueName: options.queueName ?? DEFAULT_QUEUE,
    name: CANDIDATE_JOB,
    concurrency,
    parse: parseCandidateJob,
    handle,
    lockMs: options.lockMs,
    log,
    label: "worker",
  });
  return {
    ready: () => server.ready(),
    done: () => done,
    async close() {
      await server.close();
      await pool.close();
    },
  };
}
