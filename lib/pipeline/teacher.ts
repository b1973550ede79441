/**
 * The teacher side of a search, run once in the main process: find and load the teacher
 * checkpoint, count its parameters, time it, and build the teacher-output caches (logits only)
 * for the proxy training subset and the validation subset. Workers open those caches read-only
 * by key (`CacheRef`), so the teacher never runs inside a candidate evaluation.
 */
import {
  type BertTokenizer,
  bucketBatches,
  createBertTokenizer,
  type Example,
} from "../data/mod.ts";
import {
  buildTeacherCache,
  type CachedHiddenSpec,
  DEFAULT_CACHE_ROOT,
  hashExamples,
  sha256File,
  type TeacherCacheKeyParts,
} from "../distill/mod.ts";
import { type Classifier, loadCheckpoint } from "../models/mod.ts";
import { tokenizerId } from "../project/mod.ts";
import { measureLatency } from "../search_space/tfjs.ts";
import { latencyProfiles, type LatencySummary } from "./latency_profiles.ts";
import type { DatasetChoice, EvalSettings } from "./settings.ts";
import { searchData } from "./search_data.ts";

/** Where a teacher-output cache lives; enough for a worker to open and check it. */
export interface CacheRef {
  key: string;
  keyParts: TeacherCacheKeyParts;
  root: string;
  /** Teacher hidden states cached besides the logits (the key depends on them). */
  hidden?: CachedHiddenSpec;
}

export interface TeacherInfo {
  /** The classifier checkpoint folder. */
  dir: string;
  params: number;
  latencyMs: number;
  /** `settings.latencyProfiles` of the teacher, by name (when the settings have them). */
  latencies?: Record<string, LatencySummary>;
  sha256: string;
  /** Dev / validation figures from the checkpoint manifest, when present. */
  manifestMetrics: Record<string, unknown>;
}

/** Throws a clear error when the teacher checkpoint is missing, with the command to make one. */
export function checkTeacherDir(dir: string, dataset: DatasetChoice | string): void {
  try {
    Deno.statSync(`${dir}/manifest.json`);
    return;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const how = dataset === "sst2"
    ? "train it with `deno task teacher` (about an hour on 2 cores), or pass --teacher DIR"
    : `no ${dataset} teacher ships with this project (the ones trained here stayed at the ` +
      `majority ` +
      `class: data/teachers/README.md); train one into ${dir} with \`deno task teacher --dataset ` +
      `${dataset} --stage classifier --max-length 128\` (optionally --from-mlm ` +
      `data/teachers/sst2_bert_l4_h256/mlm), or pass --teacher DIR with any 2-label BERT ` +
      `classifier checkpoint (a lib/models checkpoint: manifest.json, config.json, ` +
      `model.safetensors)`;
  throw new Error(`RoSearch: teacher checkpoint ${dir}/manifest.json not found; ${how}`);
}

/**
 * Builds (or reuses) the logits cache of `examples` and returns its reference. The key's
 * tokenizer part is lib/project's `tokenizerId()` (the default vocabulary).
 */
export function cacheFor(
  teacher: Classifier,
  examples: readonly Example[],
  options: {
    split: string;
    maxLength: number;
    teacherSha256: string;
    /** Default `.cache/teacher_outputs`. */
    root?: string;
    /** Teacher hidden states to cache too (KD baselines with layer losses). */
    hidden?: CachedHiddenSpec;
    /** After each batch the teacher ran (not called when the cache is reused). */
    onProgress?: (done: number, total: number) => void;
  },
  tokenizer: BertTokenizer,
): CacheRef {
  const root = options.root ?? DEFAULT_CACHE_ROOT;
  const keyParts: TeacherCacheKeyParts = {
    teacherSha256: options.teacherSha256,
    tokenizer: tokenizerId(),
    maxLength: options.maxLength,
    split: options.split,
    examplesSha256: hashExamples(examples),
  };
  const batches = bucketBatches(examples as Example[], tokenizer, {
    batchSize: 64,
    maxLength: options.maxLength,
    shuffle: false,
  });
  const hidden = options.hidden && options.hidden.layers.length > 0 ? options.hidden : undefined;
  const cache = buildTeacherCache(teacher, batches, {
    keyParts,
    numExamples: examples.length,
    root,
    hidden,
    onProgress: options.onProgress,
  });
  return { key: cache.key, keyParts, root, ...(hidden ? { hidden } : {}) };
}

export interface PreparedTeacher {
  info: TeacherInfo;
  caches: { proxy: CacheRef; validation: CacheRef };
  seconds: number;
}

/** Loads the teacher, measures it and builds both caches; the teacher is disposed after. */
export async function prepareTeacher(
  dir: string,
  settings: EvalSettings,
  options: {
    cacheRoot?: string;
    /** Cache building progress (a reused cache reports nothing). */
    onProgress?: (cache: "proxy" | "validation", done: number, total: number) => void;
  } = {},
): Promise<PreparedTeacher> {
  checkTeacherDir(dir, settings.dataset);
  const t0 = performance.now();
  const { model, manifest } = await loadCheckpoint(dir);
  try {
    const tokenizer = await createBertTokenizer();
    const data = await searchData(settings);
    const sha256 = sha256File(`${dir}/model.safetensors`);
    const common = {
      maxLength: settings.train.maxLength,
      teacherSha256: sha256,
      root: options.cacheRoot,
    };
    const h = settings.heldOut, p = settings.proxy, v = settings.validation;
    const proxy = cacheFor(model, data.proxy, {
      ...common,
      split:
        `${settings.dataset}/train-minus-heldout(${h.size},${h.seed})/proxy(${p.size},${p.seed})`,
      onProgress: (d, n) => options.onProgress?.("proxy", d, n),
    }, tokenizer);
    const validation = cacheFor(model, data.validation, {
      ...common,
      split: `${settings.dataset}/heldout(${h.size},${h.seed})/subset(${v.size},${v.seed})`,
      onProgress: (d, n) => options.onProgress?.("validation", d, n),
    }, tokenizer);
    const latency = measureLatency(model, {
      batchSize: settings.latency.batchSize,
      seqLen: settings.latency.seqLen,
      repeats: settings.latency.repeats,
      warmup: settings.latency.warmup,
    });
    return {
      info: {
        dir,
        params: model.countParams(),
        latencyMs: latency.medianMs,
        ...(settings.latencyProfiles?.length
          ? { latencies: latencyProfiles(model, settings) }
          : {}),
        sha256,
        manifestMetrics: manifest.metrics ?? {},
      },
      caches: { proxy, validation },
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
  }
}
