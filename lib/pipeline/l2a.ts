/**
 * L2A (issue 18) as pipeline tasks, each a Worker job whose result is one record of the run:
 * - `l2aPools`: the candidate pools: for a target size, EDA variants (Wei and Zou: 16 per
 *   sentence up to 500 sentences, 8 above) and masked-LM rewrites (lib/robustness mlm_rewrite.ts,
 *   15% of the words, top-10 sampling) of the target sentences; for the source, SST-2 sentences
 *   as they are and rewritten. Written as JSONL beside the run, leak-checked before writing.
 * - `l2aTeacher`: the SST-2 teacher adapted to the target: fine-tuned on the scarce target
 *   sample (CE, AdamW, `steps` steps), keeping the checkpoint with the best target-dev accuracy
 *   among the evaluations, or the SST-2 teacher itself when none beats it (recorded).
 * - `l2aStudent`: one method at one size; every method trains the same student (the TinyBERT-style
 *   4 x 64 from a random initialisation) for the same steps, batches, schedule and seed, with
 *   pure KD from the adapted teacher (softCE at T = 1 on every example: the teacher labels the
 *   augmented data), through the L2A curriculum (lib/distill l2a.ts):
 *     target-only    batches of gold target examples only;
 *     eda            half of each round's rows random EDA variants of the target sentences;
 *     mlm-aug        half random masked-LM rewrites of the target sentences (CBERT-style);
 *     l2a            half chosen by the selector from the generator's draws, target rewrites
 *                    and source sentences (original and rewritten), learned mixing;
 *     l2a-no-source  the same with target rewrites only;
 *     l2a-no-target  the same with source candidates only.
 *   Then MR test accuracy per example (for paired tests) and the curriculum's history.
 */
import { bucketBatches, createBertTokenizer, type Example, sampleSubset } from "../data/mod.ts";
import {
  distill,
  type L2aCandidate,
  l2aCurriculum,
  type L2aRound,
  tinybert,
} from "../distill/mod.ts";
import { BertModel, loadCheckpoint, saveCheckpoint } from "../models/mod.ts";
import { eda, mlmRewrite } from "../robustness/mod.ts";
import { loadMaskedLM } from "../robustness/tfjs.ts";
import { Prng } from "../random/mod.ts";
import { taskProgress } from "../backend/mod.ts";
import { correctString } from "./meta_kd.ts";
import { l2aData, leakCheck, mrTestIndex } from "./l2a_data.ts";

export const L2A_METHODS = [
  "target-only",
  "eda",
  "mlm-aug",
  "l2a",
  "l2a-no-source",
  "l2a-no-target",
] as const;
export type L2aMethod = typeof L2A_METHODS[number];

export interface L2aCommon {
  seed: number;
  maxLength: number;
  devSize: number;
}

export interface L2aPoolsTask extends L2aCommon {
  /** A target size, or "source". */
  pool: number | "source";
  mlmDir: string;
  /** Source sentences drawn (half kept as they are, half rewritten). */
  sourceSize: number;
  /** Masked-LM rewrites of the target sentences in all (at least 2 per sentence). */
  targetRewrites: number;
  outFile: string;
}

export interface L2aPoolsResult {
  pool: number | "source";
  counts: Record<string, number>;
  /** A few rewrites beside their sentences, to show. */
  examples: { kind: string; original: string; text: string }[];
  seconds: number;
  stats: Record<string, number>;
}

type PoolRow = L2aCandidate & { kind: "eda" | "mlm" | "original" };

export async function l2aPools(task: L2aPoolsTask): Promise<L2aPoolsResult> {
  const t0 = performance.now();
  const data = await l2aData({ seed: task.seed, devSize: task.devSize });
  const mlm = await loadMaskedLM(task.mlmDir);
  let rows: PoolRow[] = [];
  const shown: L2aPoolsResult["examples"] = [];
  if (task.pool === "source") {
    const picked = sampleSubset(data.sourceEligible, task.sourceSize, { seed: task.seed + 11 });
    const half = Math.floor(picked.length / 2);
    for (const e of picked.slice(0, half)) {
      rows.push({ ...e, domain: "source", rewritten: false, kind: "original" });
    }
    const rewrites = await rewriteInChunks(picked.slice(half), 1, task.seed + 12, mlm);
    rewrites.forEach((r, i) => {
      rows.push({ ...r, domain: "source", rewritten: true, kind: "mlm" });
      if (i < 5) shown.push({ kind: "source mlm", original: picked[half + i].text, text: r.text });
    });
  } else {
    const target = data.target(task.pool);
    const perEda = task.pool <= 500 ? 16 : 8;
    for (const e of target) {
      for (const v of eda(e, { seed: task.seed + 13, perSentence: perEda })) {
        rows.push({ ...v, domain: "target", rewritten: true, kind: "eda" });
      }
    }
    rows.slice(0, 3).forEach((r) =>
      shown.push({ kind: "eda", original: target[0].text, text: r.text })
    );
    const per = Math.max(2, Math.round(task.targetRewrites / target.length));
    const rewrites = await rewriteInChunks(target, per, task.seed + 14, mlm);
    rewrites.forEach((r, i) => {
      rows.push({ ...r, domain: "target", rewritten: true, kind: "mlm" });
      if (i < 4) {
        shown.push({ kind: "mlm", original: target[Math.floor(i / per)].text, text: r.text });
      }
    });
  }
  // a rewrite's new words can complete a 6-word run of a test sentence: such rows are dropped
  const index = await mrTestIndex();
  const before = rows.length;
  rows = rows.filter((r) => !index.overlaps(r.text));
  await leakCheck(rows, `L2A ${task.pool}`);
  await Deno.mkdir(task.outFile.replace(/\/[^/]*$/, ""), { recursive: true });
  const tmp = `${task.outFile}.tmp`;
  await Deno.writeTextFile(tmp, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await Deno.rename(tmp, task.outFile);
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  counts.droppedOverlap = before - rows.length;
  return {
    pool: task.pool,
    counts,
    examples: shown,
    seconds: (performance.now() - t0) / 1000,
    stats: data.stats,
  };
}

async function rewriteInChunks(
  examples: readonly Example[],
  perSentence: number,
  seed: number,
  mlm: Awaited<ReturnType<typeof loadMaskedLM>>,
) {
  const out: (Example & { changed: number })[] = [];
  const chunk = 64;
  for (let i = 0; i < examples.length; i += chunk) {
    out.push(...await mlmRewrite(examples.slice(i, i + chunk), { mlm, seed, perSentence }));
    mlm.clearCache();
    taskProgress(Math.min(i + chunk, examples.length), examples.length, "sentences rewritten");
  }
  return out.map(({ changed: _, ...e }) => e);
}

export async function readPool(file: string, kinds?: readonly string[]): Promise<PoolRow[]> {
  const text = await Deno.readTextFile(file);
  const rows: PoolRow[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let r: PoolRow;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new SyntaxError(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    if (typeof r.text !== "string" || !Number.isInteger(r.label)) {
      throw new TypeError(`${file}:${i + 1}: expected {text: string, label: integer, ...}`);
    }
    if (!kinds || kinds.includes(r.kind)) rows.push(r);
  });
  return rows;
}

export interface L2aTeacherTask extends L2aCommon {
  size: number;
  teacherDir: string;
  steps: number;
  learningRate: number;
  batchSize: number;
  outDir: string;
}

export interface L2aTeacherResult {
  size: number;
  zeroShotDev: number;
  adaptedDev: number;
  /** Which one the students learn from. */
  chosen: "adapted" | "zero-shot";
  bestStep: number | null;
  evaluations: { step: number; accuracy: number }[];
  /** MR test, "1"/"0" per example: the SST-2 teacher and the adapted one. */
  zeroShotTest: string;
  adaptedTest: string;
  /** Per MR test example: "1" when SST-2 train holds nothing of it (lib/pipeline l2a_data.ts). */
  unseen: string;
  seconds: number;
}

async function loadBert(dir: string): Promise<BertModel> {
  const { model } = await loadCheckpoint(dir);
  if (!(model instanceof BertModel)) {
    model.dispose();
    throw new TypeError(`L2A: ${dir} is not a BERT classifier`);
  }
  return model;
}

export async function l2aTeacher(task: L2aTeacherTask): Promise<L2aTeacherResult> {
  const t0 = performance.now();
  const data = await l2aData({ seed: task.seed, devSize: task.devSize });
  const tokenizer = await createBertTokenizer();
  const target = data.target(task.size);
  const dev = bucketBatches(data.dev, tokenizer, {
    batchSize: 64,
    maxLength: task.maxLength,
    shuffle: false,
  });
  const model = await loadBert(task.teacherDir);
  let disposed = false;
  try {
    const zeroShotTest = await correctString(model, data.test, task.maxLength);
    const zeroShotDev = [...await correctString(model, data.dev, task.maxLength)]
      .filter((c) => c === "1").length / data.dev.length;
    const perEpoch = Math.ceil(target.length / task.batchSize);
    const summary = await distill(null, model, {
      train: (_e, prng) =>
        bucketBatches(target, tokenizer, {
          batchSize: task.batchSize,
          maxLength: task.maxLength,
          prng,
        }),
      validation: dev,
    }, {
      objective: { kl: { weight: 0 }, ce: { weight: 1 } },
      maxSteps: task.steps,
      epochs: Math.ceil(task.steps / perEpoch),
      evalEvery: Math.max(10, Math.min(perEpoch, 25)),
      learningRate: task.learningRate,
      seed: task.seed + 21,
    });
    const adaptedDev = summary.bestValAccuracy ?? 0;
    const adaptedTest = await correctString(model, data.test, task.maxLength);
    const chosen = adaptedDev > zeroShotDev ? "adapted" : "zero-shot";
    if (chosen === "zero-shot") {
      model.dispose();
      disposed = true;
      const original = await loadBert(task.teacherDir);
      await save(original, task, zeroShotDev, "the SST-2 teacher (no fine-tuning beat it on dev)");
      original.dispose();
    } else {
      await save(model, task, adaptedDev, `fine-tuned on ${task.size} MR sentences`);
    }
    return {
      size: task.size,
      zeroShotDev,
      adaptedDev,
      chosen,
      bestStep: summary.bestStep,
      evaluations: summary.evaluations,
      zeroShotTest,
      adaptedTest,
      unseen: data.unseen.map((u) => (u ? "1" : "0")).join(""),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    if (!disposed) model.dispose();
  }
}

async function save(model: BertModel, task: L2aTeacherTask, dev: number, description: string) {
  await saveCheckpoint(model, task.outDir, {
    dtype: "F32",
    manifest: {
      command: "deno task l2a (lib/pipeline l2aTeacher)",
      description: `L2A target teacher for ${task.size} MR examples: ${description}`,
      metrics: { mrDevAccuracy: dev },
    },
  });
}

export interface L2aStudentTask extends L2aCommon {
  method: L2aMethod;
  size: number;
  teacherDir: string;
  targetPool: string;
  sourcePool: string;
  steps: number;
  stepsPerRound: number;
  batchSize: number;
  augmentedShare: number;
  learningRate: number;
}

export interface L2aStudentResult {
  method: L2aMethod;
  size: number;
  params: number;
  steps: number;
  seconds: number;
  msPerStep: number;
  test: string;
  dev: { devLogLik: number; devAccuracy: number };
  history: L2aRound[];
  selector: { weights: number[]; bias: number } | null;
  /** A few of the last round's augmented rows. */
  lastUsed: { text: string; domain: string; rewritten: boolean }[];
}

export async function l2aStudent(task: L2aStudentTask): Promise<L2aStudentResult> {
  const t0 = performance.now();
  if (!(L2A_METHODS as readonly string[]).includes(task.method)) {
    throw new RangeError(`L2A: unknown method "${task.method}"; valid: ${L2A_METHODS.join(", ")}`);
  }
  const data = await l2aData({ seed: task.seed, devSize: task.devSize });
  const tokenizer = await createBertTokenizer();
  const target = data.target(task.size);
  const m = task.method;
  const targetKinds = m === "eda" ? ["eda"] : ["mlm"];
  const targetPool = m === "target-only" || m === "l2a-no-target"
    ? []
    : await readPool(task.targetPool, targetKinds);
  const sourcePool = m === "l2a" || m === "l2a-no-target" ? await readPool(task.sourcePool) : [];
  const teacher = await loadBert(task.teacherDir);
  const student = tinybert.createStudent(teacher, { seed: task.seed + 31 });
  try {
    const curriculum = l2aCurriculum({
      target,
      pools: { target: targetPool, source: sourcePool },
      dev: bucketBatches(data.dev, tokenizer, {
        batchSize: 64,
        maxLength: task.maxLength,
        shuffle: false,
      }),
      teacher,
      student,
      tokenizer,
      maxLength: task.maxLength,
      batchSize: task.batchSize,
      stepsPerRound: task.stepsPerRound,
      augmentedShare: m === "target-only" ? 0 : task.augmentedShare,
      selector: m.startsWith("l2a") ? "reinforce" : "none",
      seed: task.seed + 32,
    });
    const rounds = Math.ceil(task.steps / task.stepsPerRound);
    const summary = await distill(teacher, student, { train: curriculum.train }, {
      objective: { kl: { weight: 0 }, softCE: { weight: 1, temperature: 1 }, ce: { weight: 0 } },
      epochs: rounds,
      maxSteps: task.steps,
      learningRate: task.learningRate,
      seed: task.seed + 33,
    });
    const state = curriculum.selectorState();
    const pick = Prng.fromSeed(task.seed);
    return {
      method: m,
      size: task.size,
      params: student.countParams(),
      steps: summary.steps,
      seconds: (performance.now() - t0) / 1000,
      msPerStep: summary.msPerStep,
      test: await correctString(student, data.test, task.maxLength),
      dev: curriculum.finalDev(),
      history: [...curriculum.history],
      selector: state ? { weights: state.weights, bias: state.bias } : null,
      lastUsed: pick.shuffle([...curriculum.lastUsed]).slice(0, 6)
        .map((c) => ({ text: c.text, domain: c.domain, rewritten: c.rewritten })),
    };
  } finally {
    student.dispose();
    teacher.dispose();
  }
}
