/**
 * What a candidate job on the queue carries (lib/queue): plain JSON data, never code. Paths are
 * relative to the repository, so a worker on another machine reads the data and the teacher
 * from its own checkout; the teacher's sha256 and the coordinator's teacher-cache keys (which
 * hash the teacher, the tokenizer and the exact examples) let the worker prove that its checkout
 * holds the same inputs before it evaluates anything.
 *
 * What a worker trusts: a job that passes `parseCandidateJob` (version, kind, types and ranges of
 * every field the evaluation reads, a structurally valid genome, paths inside the checkout).
 * What it does not: anything else in Redis; a malformed or foreign job fails at once with a
 * message naming the field, and the worker takes the next job.
 */
import { z } from "zod";
import { validateStructure } from "../search_space/mod.ts";
import type { CandidateTask } from "./evaluate_candidate.ts";
import { KD_MODES } from "./settings.ts";

export const CANDIDATE_JOB = "rosearch.candidate";
export const CANDIDATE_JOB_VERSION = 1;

const positiveInt = z.number().int().positive();
const RepoPath = z.string().min(1).refine(
  (p) => !p.startsWith("/") && !p.split("/").includes(".."),
  "must be a path inside the repository (relative, no ..)",
);

const EvalSettingsSchema = z.object({
  dataset: z.enum(["sst2", "mrpc"]),
  heldOut: z.object({
    size: positiveInt,
    seed: z.number().int(),
    sentences: z.object({ minWords: positiveInt }).optional(),
  }),
  proxy: z.object({ size: positiveInt, seed: z.number().int() }),
  validation: z.object({ size: positiveInt, seed: z.number().int() }),
  attack: z.object({
    recipe: z.string().min(1),
    examples: z.number().int().min(0),
    queryBudget: positiveInt,
    racing: z.object({ step: positiveInt, cap: positiveInt, topK: positiveInt }).optional(),
  }),
  fitness: z.object({ name: z.string(), options: z.record(z.number()) }).optional(),
  train: z.object({
    epochs: positiveInt,
    batchSize: positiveInt,
    maxLength: positiveInt,
    learningRate: z.number().positive(),
    objective: z.object({
      kl: z.object({ weight: z.number(), temperature: z.number().positive() }),
      ce: z.object({ weight: z.number() }),
    }),
    kd: z.enum(KD_MODES).optional(),
  }),
  latency: z.object({
    batchSize: positiveInt,
    seqLen: positiveInt,
    repeats: positiveInt,
    warmup: z.number().int().min(0),
  }),
  latencyProfiles: z.array(z.object({
    name: z.string().min(1),
    batchSize: positiveInt,
    seqLen: positiveInt,
    repeats: positiveInt,
    warmup: z.number().int().min(0),
  })).optional(),
});

export const CandidateJobSchema = z.object({
  version: z.literal(CANDIDATE_JOB_VERSION),
  kind: z.literal(CANDIDATE_JOB),
  runId: z.string().min(1),
  teacher: z.object({
    path: RepoPath,
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    params: positiveInt,
    latencyMs: z.number().positive(),
  }),
  cacheKeys: z.object({ proxy: z.string().min(1), validation: z.string().min(1) }),
  genome: z.unknown(),
  /** The racing threshold; infinities as strings (JSON has no Infinity). */
  threshold: z.union([z.number(), z.enum(["-Infinity", "Infinity"])]).optional(),
  seed: z.number().int(),
  settings: EvalSettingsSchema,
});
export type CandidateJob = z.infer<typeof CandidateJobSchema>;

/** The job of one candidate task of run `runId` (the teacher must be inside the repository). */
export function candidateJobOf(
  task: CandidateTask,
  options: { runId: string; teacherPath: string; teacherSha256: string },
): CandidateJob {
  return {
    version: CANDIDATE_JOB_VERSION,
    kind: CANDIDATE_JOB,
    runId: options.runId,
    teacher: {
      path: options.teacherPath,
      sha256: options.teacherSha256,
      params: task.teacher.params,
      latencyMs: task.teacher.latencyMs,
    },
    cacheKeys: { proxy: task.caches.proxy.key, validation: task.caches.validation.key },
    genome: task.genome,
    ...(task.threshold !== undefined
      ? {
        threshold: Number.isFinite(task.threshold)
          ? task.threshold
          : (String(task.threshold) as "-Infinity" | "Infinity"),
      }
      : {}),
    seed: task.seed,
    settings: task.settings as CandidateJob["settings"],
  };
}

/** Validates a job payload; the TypeError names the job and every bad field. */
export function parseCandidateJob(data: unknown, jobId = "?"): CandidateJob {
  const r = CandidateJobSchema.safeParse(data);
  if (!r.success) {
    const what = r.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`);
    throw new TypeError(`job ${jobId} is not a ${CANDIDATE_JOB} v1 job: ${what.join("; ")}`);
  }
  try {
    validateStructure(r.data.genome);
  } catch (e) {
    throw new TypeError(`job ${jobId}: genome: ${e instanceof Error ? e.message : e}`);
  }
  return r.data;
}

/** The job's racing threshold as a number (undefined without racing). */
export function thresholdOf(job: CandidateJob): number | undefined {
  return job.threshold === undefined ? undefined : Number(job.threshold);
}
