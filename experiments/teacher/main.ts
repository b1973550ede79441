/**
 * `deno task teacher`: trains the project's default teacher from the bundled data.
 *
 * No pretrained BERT is reachable here, so the teacher is a small BERT (HF-compatible names)
 * trained by this code: (1) masked-LM pretraining on every bundled sentence except SST-2 dev
 * (see mlm_corpus.ts), saved as the teacher MLM (reused by masked-LM attacks and MATE-KD);
 * (2) fine-tuning a classifier initialised from the MLM's encoder on SST-2 train, model selection
 * on a held-out part of train (dev stays untouched), then one final SST-2 dev evaluation.
 * Both checkpoints go to data/teachers/<name>/ with a manifest (config, metrics, sha256, command).
 *
 * Deviation from the papers: their teacher is BERT-base (110M parameters, pretrained on
 * BooksCorpus + Wikipedia); ours is 4 layers x 256 hidden (11.2M) pretrained on ~77k sentences.
 *
 * Measured on 2 cores (2026-11-22; every run in data/teachers/README.md): the MLM stage does 2.4
 * s/step at batch 64, so an hour buys ~1,600 steps (masked-token accuracy 21.8%); fine-tuning from
 * it reached 80.73% SST-2 dev against 80.05% from a random initialisation (1,100 steps at batch 64
 * each, 20-26 min): within the dev set's noise. The shipped default teacher is the randomly
 * initialised one (`--stage classifier`); the MLM ships for BAE. The 83% target is not reached:
 * mean pooling (`--pooling mean`, 79.93% from either start) and a three-teacher ensemble (81.19%)
 * were measured too (data/teachers/README.md).
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/mod.ts";
import {
  bucketBatches,
  createBertTokenizer,
  datasetInfo,
  heldOutSplit,
  loadSplit,
} from "../../lib/data/mod.ts";
import { heldOutOf } from "../../lib/project/mod.ts";
import {
  type BertModel,
  createBert,
  loadCheckpoint,
  saveCheckpoint,
} from "../../lib/models/mod.ts";
import { distill, evaluateAccuracy } from "../../lib/distill/mod.ts";
import { createRun, readGitInfo } from "../../lib/track/mod.ts";
import { createProgress, type Progress } from "../../lib/viz/mod.ts";
import {
  commandLine,
  formatSeconds,
  PROJECT_ROOT,
  RUNS_ROOT,
  TEACHERS_ROOT,
} from "../_shared/project.ts";
import { failRunOn, parseCli, UsageError } from "../_shared/cli.ts";
import { loadMlmCorpus } from "./mlm_corpus.ts";
import { pretrainMlm } from "./mlm_pretrain.ts";

const USAGE = "deno task teacher [--dataset sst2|trec|subj] [--stage both|mlm|classifier] " +
  "[--name N] [--layers 4 --hidden 256 --heads 4]\n" +
  "  [--pooling cls|mean] [--mlm-steps 3000 --mlm-minutes 20 --mlm-lr 5e-4]\n" +
  "  [--epochs 3 --max-steps N --lr 1e-4 --batch-size 32 --max-length 64 --eval-every 500] " +
  "[--seed 13] [--out DIR] [--quick]\n" +
  "  [--from-mlm DIR]  fine-tune (--stage classifier) from an existing masked-LM checkpoint";

const { values: a } = parseCli({
  task: "teacher",
  usage: USAGE,
  options: {
    name: { type: "string" },
    dataset: { type: "string", default: "sst2" },
    stage: { type: "string", default: "both" },
    layers: { type: "string", default: "4" },
    hidden: { type: "string", default: "256" },
    heads: { type: "string", default: "4" },
    pooling: { type: "string", default: "cls" },
    "mlm-steps": { type: "string", default: "3000" },
    "mlm-minutes": { type: "string", default: "20" },
    "mlm-lr": { type: "string", default: "5e-4" },
    epochs: { type: "string", default: "3" },
    "max-steps": { type: "string" },
    lr: { type: "string", default: "1e-4" },
    "batch-size": { type: "string", default: "32" },
    "max-length": { type: "string", default: "64" },
    "eval-every": { type: "string", default: "500" },
    seed: { type: "string", default: "13" },
    out: { type: "string" },
    "from-mlm": { type: "string" },
    quick: { type: "boolean", default: false },
  },
});
const num = (k: keyof typeof a) => {
  const v = Number(a[k]);
  if (!Number.isFinite(v)) {
    throw new UsageError(`--${k} must be a number, got ${JSON.stringify(a[k])}`);
  }
  return v;
};
const seed = num("seed");
const hidden = num("hidden");
const config = {
  vocab_size: 30522,
  hidden_size: hidden,
  num_hidden_layers: num("layers"),
  num_attention_heads: num("heads"),
  intermediate_size: 4 * hidden,
  max_position_embeddings: 128,
  type_vocab_size: 2,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  num_labels: 2,
  pooling: a.pooling as "cls" | "mean",
};
if (config.pooling !== "cls" && config.pooling !== "mean") {
  throw new UsageError(`--pooling must be cls or mean, got ${JSON.stringify(a.pooling)}`);
}
const quick = a.quick!;
const dataset = a.dataset!;
const TEACHER_DATASETS = ["sst2", "mrpc", "trec", "subj"];
if (!TEACHER_DATASETS.includes(dataset)) {
  throw new UsageError(
    `--dataset must be one of ${TEACHER_DATASETS.join(", ")}, got ${JSON.stringify(dataset)}`,
  );
}
config.num_labels = datasetInfo(dataset).numLabels;
const stage = a.stage!;
if (!["mlm", "classifier", "both"].includes(stage)) {
  throw new UsageError(`--stage must be mlm, classifier or both, got ${JSON.stringify(stage)}`);
}
const fromMlm = a["from-mlm"];
if (fromMlm !== undefined && stage !== "classifier") {
  throw new UsageError(`--from-mlm needs --stage classifier (got --stage ${stage})`);
}
const maxLength = num("max-length"), batchSize = num("batch-size");
const outDir = a.out ?? `${TEACHERS_ROOT}/${a.name ?? `${dataset}_bert_l4_h256`}`;
const backend = await initBackend();
const params = { config, ...a, outDir };
const run = await createRun("teacher", {
  params,
  seed,
  backend: { ...backend },
  root: RUNS_ROOT,
  repoDir: PROJECT_ROOT,
});
failRunOn(run);
console.log(`run ${run.dir}  backend ${backend.backend} (${backend.reason})`);
const git = readGitInfo(PROJECT_ROOT);
const tokenizer = await createBertTokenizer();

// ---- 1. masked-LM pretraining --------------------------------------------------------------
const corpus = await loadMlmCorpus();
console.log(`MLM corpus: ${corpus.length} sentences`);
let mlmSummary = { steps: 0, seconds: 0, finalLoss: NaN, finalAccuracy: NaN };
let mlm: BertModel;
if (fromMlm === undefined) {
  mlm = createBert(config, { seed, heads: { classifier: false, mlm: true } });
} else ({ model: mlm, summary: mlmSummary } = await loadPretrainedMlm(fromMlm));
const mlmSteps = quick ? 4 : num("mlm-steps");
if (stage !== "classifier") {
  const mlmBar = createProgress({ total: mlmSteps, label: "mlm", lineIntervalMs: 30_000 });
  mlmSummary = pretrainMlm(mlm, quick ? corpus.slice(0, 512) : corpus, tokenizer, {
    maxSteps: mlmSteps,
    maxSeconds: quick ? 60 : num("mlm-minutes") * 60,
    batchSize,
    maxLength,
    learningRate: num("mlm-lr"),
    seed: seed + 1,
    onProgress: (p) => {
      run.logMetric("mlm_loss", p.loss, { step: p.step });
      if (!Number.isNaN(p.accuracy)) run.logMetric("mlm_accuracy", p.accuracy, { step: p.step });
      mlmBar.update(p.step, { loss: p.loss, "ms/step": Math.round(p.msPerStep) });
    },
  });
  mlmBar.done();
  console.log(
    `MLM: ${mlmSummary.steps} steps in ${formatSeconds(mlmSummary.seconds)}, loss ${
      mlmSummary.finalLoss.toFixed(3)
    }, masked-token accuracy ${(100 * mlmSummary.finalAccuracy).toFixed(1)}%`,
  );
  await saveCheckpoint(mlm, `${outDir}/mlm`, {
    dtype: "F16",
    manifest: {
      command: commandLine("teacher"),
      gitCommit: git.commit,
      metrics: {
        mlmSteps: mlmSummary.steps,
        mlmLoss: mlmSummary.finalLoss,
        maskedTokenAccuracy: mlmSummary.finalAccuracy,
        corpusSentences: corpus.length,
      },
      description:
        "Masked-LM pretraining of the default teacher on every bundled sentence except SST-2 dev",
    },
  });
  run.logMetric("mlm_masked_token_accuracy", mlmSummary.finalAccuracy, { step: mlmSummary.steps });
}
if (stage === "mlm") {
  mlm.dispose();
  run.finish("finished", { stage });
  Deno.exit(0);
}

// ---- 2. fine-tuning on the task (SST-2, MRPC pairs, TREC questions or SUBJ) -------------------
const train = await loadSplit(dataset, "train");
const dev = await loadSplit(dataset, "dev");
// lib/project's held-out split (its seed, 13, is also this task's default --seed)
const heldOut = heldOutOf(dataset).size;
const split = heldOutSplit(train, { size: quick ? 64 : heldOut, seed });
const trainSet = quick ? split.train.slice(0, 256) : split.train;
const validation = bucketBatches(split.validation, tokenizer, {
  batchSize: 64,
  maxLength,
  shuffle: false,
});
const devBatches = bucketBatches(dev, tokenizer, {
  batchSize: 64,
  maxLength: dataset === "sst2" ? 128 : maxLength,
  shuffle: false,
});
const model = createBert(config, { seed: seed + 2, heads: { classifier: true, mlm: false } });
let copied = 0;
if (stage === "both" || fromMlm !== undefined) {
  for (const [name, v] of model.params) {
    const src = mlm.params.get(name);
    if (src) (v.assign(src), copied++);
  }
}
mlm.dispose();
console.log(
  stage === "both" || fromMlm !== undefined
    ? `classifier initialised from the MLM${
      fromMlm ? ` ${fromMlm}` : ""
    }: ${copied}/${model.params.size} tensors copied`
    : "classifier trained from a random initialisation (--stage classifier)",
);
let finetuneBar: Progress | undefined;
const summary = await distill(null, model, {
  train: (_epoch, prng) => bucketBatches(trainSet, tokenizer, { batchSize, maxLength, prng }),
  validation,
}, {
  objective: { kl: { weight: 0 }, ce: { weight: 1 } },
  epochs: quick ? 1 : num("epochs"),
  maxSteps: a["max-steps"] ? num("max-steps") : undefined,
  learningRate: num("lr"),
  evalEvery: quick ? 4 : num("eval-every"),
  seed: seed + 3,
  onProgress: (p) => {
    run.logMetric("train_loss", p.loss, { step: p.step });
    finetuneBar ??= createProgress({
      total: p.totalSteps,
      label: "finetune",
      lineIntervalMs: 30_000,
    });
    finetuneBar.update(p.step, { loss: p.loss, "ms/step": Math.round(p.msPerStep) });
  },
  onEvaluate: (e) => {
    run.logMetric("accuracy", e.accuracy, { step: e.step, context: { split: "validation" } });
    console.log(
      `  step ${e.step}: held-out validation accuracy ${(100 * e.accuracy).toFixed(2)}%${
        e.improved ? " (best)" : ""
      }`,
    );
  },
});
finetuneBar?.done();
const devAccuracy = evaluateAccuracy(model, devBatches);
run.logMetric("accuracy", devAccuracy, { step: summary.steps, context: { split: "dev" } });
console.log(`${summary}`);
console.log(`${dataset} dev accuracy: ${(100 * devAccuracy).toFixed(2)}%`);

// ---- 3. save (half precision if the dev accuracy is unchanged) -------------------------------
const metrics = {
  dataset,
  devAccuracy,
  ...(dataset === "sst2" ? { sst2DevAccuracy: devAccuracy } : {}),
  validationAccuracy: summary.bestValAccuracy,
  validationExamples: split.validation.length,
  trainExamples: trainSet.length,
  steps: summary.steps,
  epochs: summary.epochs,
  trainSeconds: summary.seconds,
  mlmSteps: mlmSummary.steps,
  mlmMaskedTokenAccuracy: mlmSummary.finalAccuracy,
  ...(fromMlm !== undefined ? { initialisedFrom: fromMlm.replace(PROJECT_ROOT, "") } : {}),
  params: model.countParams(),
};
const manifest = {
  command: commandLine("teacher"),
  gitCommit: git.commit,
  metrics,
  description: `Teacher: small BERT ${
    stage === "both" || fromMlm !== undefined
      ? "MLM-pretrained on bundled text, then"
      : "from a random initialisation (no MLM pretraining),"
  } trained on ${dataset} train`,
  run: run.dir.replace(PROJECT_ROOT, ""),
};
await saveCheckpoint(model, `${outDir}/classifier`, {
  dtype: "F16",
  manifest: { ...manifest, metrics },
});
const reloaded = (await loadCheckpoint(`${outDir}/classifier`)).model;
const f16Accuracy = evaluateAccuracy(reloaded, devBatches);
reloaded.dispose();
if (f16Accuracy !== devAccuracy) {
  console.log(
    `half precision changes dev accuracy (${f16Accuracy} vs ${devAccuracy}): saving float32`,
  );
  await saveCheckpoint(model, `${outDir}/classifier`, {
    dtype: "F32",
    manifest: { ...manifest, metrics },
  });
}
model.dispose();
run.finish("finished", {
  ...metrics,
  f16DevAccuracy: f16Accuracy,
  outDir: outDir.replace(PROJECT_ROOT, ""),
});
console.log(`teacher saved to ${outDir} (tensors alive: ${tf.memory().numTensors})`);

/** An MLM checkpoint whose config matches --layers/--hidden/--heads (the classifier copies it). */
async function loadPretrainedMlm(
  dir: string,
): Promise<{ model: BertModel; summary: typeof mlmSummary }> {
  const { model, manifest } = await loadCheckpoint(dir);
  const m = manifest.metrics as Record<string, number>;
  const summary = {
    steps: m.mlmSteps ?? 0,
    seconds: 0,
    finalLoss: m.mlmLoss ?? NaN,
    finalAccuracy: m.maskedTokenAccuracy ?? NaN,
  };
  if (!("mlmLogitsAt" in model) || !model.heads.mlm) {
    model.dispose();
    throw new Error(`--from-mlm ${dir}: not a BERT masked LM (no cls.predictions head)`);
  }
  const c = model.config;
  const want = {
    hidden_size: config.hidden_size,
    num_hidden_layers: config.num_hidden_layers,
    num_attention_heads: config.num_attention_heads,
  };
  for (const [k, v] of Object.entries(want)) {
    if (c[k as keyof typeof c] !== v) {
      model.dispose();
      throw new Error(
        `--from-mlm ${dir}: config.json has ${k} ${
          c[k as keyof typeof c]
        }, the teacher asks for ${v}`,
      );
    }
  }
  return { model, summary };
}
