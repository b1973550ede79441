/**
 * Distils one KD baseline from the teacher, evaluates it on SST-2 dev, records a run
 * (lib/track) and saves the student as a half-precision checkpoint when it is small.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendReport } from "../../lib/backend/mod.ts";
import { type BertTokenizer, type EncodedBatch, type Example } from "../../lib/data/mod.ts";
import type { BertModel, Classifier } from "../../lib/models/mod.ts";
import { saveCheckpoint } from "../../lib/models/mod.ts";
import {
  distillBaseline,
  evaluateAccuracy,
  parseObjective,
  type TeacherCache,
} from "../../lib/distill/mod.ts";
import { createRun, readGitInfo } from "../../lib/track/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";
import type { Baseline } from "../../lib/distill/mod.ts";
import { kdAugmenter, type KdMode } from "../../lib/pipeline/mod.ts";
import type { TableRow } from "./table.ts";

/** Checkpoints above this many bytes (estimated as parameters × 2 for F16) are not written. */
export const MAX_CHECKPOINT_BYTES = 25e6;

export interface BaselineRunContext {
  teacher: BertModel;
  /** Teacher outputs for `train` (index i = train[i]); needed by "cache" baselines. */
  cache: TeacherCache | null;
  train: readonly Example[];
  validation: EncodedBatch[];
  dev: EncodedBatch[];
  tokenizer: BertTokenizer;
  backend: BackendReport;
  /** Teacher checkpoint folder (for records). */
  teacherDir: string;
  resultsDir: string;
  runsRoot: string;
  command: string;
  /** Shared settings recorded with every run. */
  settings: Record<string, unknown>;
}

export interface BaselineRunOptions {
  seed: number;
  /** Update budget; undefined = `epochs` only. */
  maxSteps?: number;
  epochs?: number;
  batchSize: number;
  maxLength: number;
  /** Evaluations on the held-out validation part during training (default 4). */
  evaluations?: number;
  /** Robust KD (lib/pipeline kd_mode.ts): its perturbation term added; default "plain". */
  kd?: KdMode;
  log?: (line: string) => void;
}

const rel = (p: string) => p.startsWith(PROJECT_ROOT) ? p.slice(PROJECT_ROOT.length) : p;

export async function runBaseline(
  baseline: Baseline,
  ctx: BaselineRunContext,
  options: BaselineRunOptions,
): Promise<TableRow> {
  const log = options.log ?? console.log;
  const objective = parseObjective(baseline.objective(ctx.teacher.config));
  // the student's size, before training (distillBaseline builds it again with the same seed)
  const probe = baseline.createStudent(ctx.teacher, { seed: options.seed });
  const student0 = { kind: probe.kind, config: probe.config, params: probe.countParams() };
  probe.dispose();
  const teacherParams = ctx.teacher.countParams();
  const params = student0.params;
  const kd = options.kd ?? "plain";
  if (kd === "plain" && baseline.teacher.source === "cache" && ctx.cache === null) {
    throw new TypeError(`kd-baselines: ${baseline.name} needs the teacher-output cache`);
  }
  const batchSize = baseline.batchSize ?? options.batchSize;
  const stepsPerEpoch = Math.ceil(ctx.train.length / batchSize);
  const plannedSteps = Math.min(
    options.maxSteps ?? Infinity,
    (options.epochs ?? Math.ceil((options.maxSteps ?? stepsPerEpoch) / stepsPerEpoch)) *
      stepsPerEpoch,
  );
  const run = await createRun("kd_baselines", {
    params: {
      baseline: baseline.name,
      style: baseline.style,
      studentKind: student0.kind,
      studentConfig: student0.config,
      objective,
      teacherSource: baseline.teacher,
      learningRate: baseline.learningRate,
      batchSize,
      maxSteps: options.maxSteps ?? null,
      epochs: options.epochs ?? null,
      plannedSteps,
      kd,
      params,
      teacherParams,
      compression: teacherParams / params,
      teacherDir: rel(ctx.teacherDir),
      command: ctx.command,
      ...ctx.settings,
    },
    seed: options.seed,
    backend: { ...ctx.backend },
    root: ctx.runsRoot,
    repoDir: PROJECT_ROOT,
  });
  log(
    `\n== ${baseline.name}: ${baseline.style}, ${params.toLocaleString("en-US")} parameters ` +
      `(${(teacherParams / params).toFixed(2)}x), ${plannedSteps} steps, run ${rel(run.dir)}`,
  );
  let student: Classifier | null = null;
  const robust = await kdAugmenter(kd, {
    teacherDir: ctx.teacherDir,
    studentLearningRate: baseline.learningRate,
    seed: options.seed + 2,
  });
  try {
    const every = Math.max(1, Math.ceil(plannedSteps / (options.evaluations ?? 4)));
    let stepMs = 0; // update time only (the summary's seconds include the evaluations)
    const distilled = await distillBaseline(baseline, {
      ...(robust ? { augmenter: robust.augmenter } : {}),
      teacher: ctx.teacher,
      cache: ctx.cache,
      train: ctx.train,
      tokenizer: ctx.tokenizer,
      maxLength: options.maxLength,
      seed: options.seed,
      batchSize,
      epochs: options.epochs,
      maxSteps: options.maxSteps,
      validation: ctx.validation,
      evalEvery: every,
      onProgress: (p) => {
        run.logMetric("train_loss", p.loss, { step: p.step });
        stepMs += p.msPerStep;
        if (p.step % 10 === 0 || p.step === p.totalSteps) {
          for (const [part, v] of Object.entries(p.parts)) {
            run.logMetric("loss_part", v, { step: p.step, context: { part } });
          }
          run.logMetric("ms_per_step", p.msPerStep, { step: p.step });
        }
        if (p.step % 100 === 0) {
          log(
            `  step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)} ${
              p.msPerStep.toFixed(0)
            } ms/step`,
          );
        }
      },
      onEvaluate: (e) => {
        run.logMetric("accuracy", e.accuracy, { step: e.step, context: { split: "validation" } });
        log(`  step ${e.step}: held-out accuracy ${(100 * e.accuracy).toFixed(2)}%`);
      },
    });
    student = distilled.student;
    const summary = distilled.summary;
    const devAccuracy = evaluateAccuracy(student, ctx.dev);
    run.logMetric("accuracy", devAccuracy, { step: summary.steps, context: { split: "dev" } });
    log(`  ${summary}`);
    log(`  SST-2 dev accuracy ${(100 * devAccuracy).toFixed(2)}%`);

    const bytes = 2 * params;
    let checkpoint: string;
    const metrics = {
      sst2DevAccuracy: devAccuracy,
      validationAccuracy: summary.bestValAccuracy,
      steps: summary.steps,
      trainSeconds: summary.seconds,
      params,
      teacherParams,
      compression: teacherParams / params,
    };
    if (bytes < MAX_CHECKPOINT_BYTES) {
      const dir = `${ctx.resultsDir}/${baseline.name}`;
      await saveCheckpoint(student, dir, {
        dtype: "F16",
        manifest: {
          command: ctx.command,
          gitCommit: readGitInfo(PROJECT_ROOT).commit,
          metrics,
          description: `KD baseline ${baseline.name}: ${baseline.style}, distilled on SST-2`,
          run: rel(run.dir),
          teacher: rel(ctx.teacherDir),
        },
      });
      checkpoint = rel(dir);
    } else {
      checkpoint = `not saved (${(bytes / 1e6).toFixed(1)} MB F16 > ${
        MAX_CHECKPOINT_BYTES / 1e6
      } MB)`;
    }
    const row: TableRow = {
      name: baseline.name,
      style: baseline.style,
      params,
      compression: teacherParams / params,
      devAccuracy,
      validationAccuracy: summary.bestValAccuracy,
      trainSeconds: summary.seconds,
      steps: summary.steps,
      msPerStep: stepMs / Math.max(1, summary.steps),
      teacherSource: baseline.teacher.source,
      checkpoint,
      run: rel(run.dir),
      command: ctx.command,
    };
    run.finish("finished", { ...metrics, checkpoint, tensorsAlive: tf.memory().numTensors });
    return row;
  } catch (e) {
    run.finish("failed", { error: String(e) });
    throw e;
  } finally {
    robust?.dispose();
    student?.dispose();
  }
}
