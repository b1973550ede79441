import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { distill, type DistillProgress } from "./distill.ts";
import { evaluateAccuracy, evaluateAgreement, predict } from "./evaluate.ts";
import { uniformLayerMap } from "./objective.ts";
import { buildTeacherCache, hashExamples } from "./teacher_cache.ts";
import { createTinyClassifier } from "./_test_model.ts";
import { encodeBatches, loadSst2Dev, setupBackend } from "./_test_data.ts";
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier } from "../models/mod.ts";

await setupBackend();

const VOCAB = 64;
const examples = loadSst2Dev(320);
const all = encodeBatches(examples, { batchSize: 32, vocabSize: VOCAB, maxLength: 16 });
const train = all.slice(0, 8); // 256 examples
const heldOut = all.slice(8); // 64 examples

/** Batches relabelled with the teacher's predictions: "accuracy" on them is agreement. */
function teacherLabelled(teacher: Classifier, batches: EncodedBatch[]): EncodedBatch[] {
  return batches.map((b) => ({ ...b, labels: predict(teacher, b) }));
}

const teacherConfig = {
  layers: 2,
  width: 16,
  heads: 2,
  numLabels: 3,
  std: 1,
  seed: 11,
  vocabSize: VOCAB,
};
const studentConfig = {
  layers: 1,
  width: 8,
  heads: 1,
  numLabels: 3,
  std: 0.3,
  seed: 12,
  vocabSize: VOCAB,
  dropout: 0.1,
};

Deno.test(
  "distill: the student's agreement with a fixed random teacher rises; tensors stay constant",
  async () => {
    const teacher = createTinyClassifier(teacherConfig);
    const student = createTinyClassifier(studentConfig);
    try {
      const before = evaluateAgreement(student, teacher, heldOut);
      const trainBefore = evaluateAgreement(student, teacher, train);
      const counts: number[] = [];
      const tensorsBefore = tf.memory().numTensors;
      const steps: DistillProgress[] = [];
      const summary = await distill(teacher, student, {
        train,
        validation: teacherLabelled(teacher, heldOut),
      }, {
        objective: { kl: { temperature: 2 } },
        epochs: 12,
        learningRate: 3e-2,
        seed: 3,
        onProgress: (p) => {
          counts.push(tf.memory().numTensors);
          steps.push(p);
        },
      });
      const after = evaluateAgreement(student, teacher, heldOut);
      const trainAfter = evaluateAgreement(student, teacher, train);
      console.log(
        `agreement held-out ${before.toFixed(3)} → ${after.toFixed(3)}, train ${
          trainBefore.toFixed(3)
        } → ` +
          `${trainAfter.toFixed(3)}; ${summary}`,
      );
      assert.ok(
        trainAfter >= 0.8 && trainAfter >= trainBefore + 0.3,
        `train agreement ${trainBefore} → ${trainAfter}`,
      );
      assert.ok(after >= before + 0.2, `held-out agreement ${before} → ${after}`);
      const first = steps.slice(0, 8).reduce((a, p) => a + p.loss, 0),
        last = steps.slice(-8).reduce((a, p) => a + p.loss, 0);
      assert.ok(last < 0.7 * first, `KL fell from ${first / 8} to ${last / 8}`);
      // Memory: the optimizer's slots appear in step 1; the best-weights snapshot (one tensor per
      // student parameter) at the first evaluation (step 8); otherwise the count is flat.
      const nParams = student.params.size;
      assert.deepEqual(
        new Set(counts.slice(1, 8)),
        new Set([counts[1]]),
        `numTensors per step: ${counts.join(",")}`,
      );
      assert.deepEqual(
        new Set(counts.slice(8)),
        new Set([counts[1] + nParams]),
        `numTensors per step: ${counts.join(",")}`,
      );
      assert.equal(tf.memory().numTensors, tensorsBefore, "nothing left behind by distill()");
      assert.equal(summary.steps, 96);
      assert.equal(evaluateAccuracy(student, teacherLabelled(teacher, heldOut)), after);
      // The returned weights are the best validation weights.
      assert.equal(summary.bestValAccuracy, after);
      // Learning-rate schedule: warmup to the peak then down to 0 at the last step.
      assert.ok(steps[0].learningRate < steps[9].learningRate);
      assert.equal(steps.at(-1)!.learningRate, 0);
    } finally {
      teacher.dispose();
      student.dispose();
    }
  },
);

Deno.test(
  "distill: hidden + attention + PKD matching with projections; student size unchanged",
  async () => {
    const teacher = createTinyClassifier(teacherConfig);
    const student = createTinyClassifier({ ...studentConfig, layers: 2 });
    try {
      const size = student.countParams();
      const paramNames = [...student.params.keys()];
      const tensorsBefore = tf.memory().numTensors;
      const layers = [
        ...uniformLayerMap(2, 2, { features: ["hidden", "attention"] }),
        {
          teacherLayer: 2,
          studentLayer: 2,
          feature: "cls" as const,
          loss: "pkd" as const,
          weight: 1,
        },
      ];
      const parts: Record<string, number>[] = [];
      const summary = await distill(teacher, student, { train }, {
        objective: { kl: { weight: 1, temperature: 2 }, layers },
        epochs: 4,
        learningRate: 1e-2,
        seed: 4,
        onProgress: (p) => parts.push(p.parts),
      });
      // 3 hidden matches (8 → 16 wide) and the PKD match need projections: 4 × (8·16 + 16).
      assert.equal(summary.projectionParams, 4 * (8 * 16 + 16));
      assert.equal(student.countParams(), size);
      assert.deepEqual([...student.params.keys()], paramNames);
      assert.equal(tf.memory().numTensors, tensorsBefore, "projections and optimizer disposed");
      assert.deepEqual(summary.partNames, [
        "kl",
        "layers[0]:hidden 0→0 mse",
        "layers[1]:hidden 1→1 mse",
        "layers[2]:hidden 2→2 mse",
        "layers[3]:attention 1→1 mse",
        "layers[4]:attention 2→2 mse",
        "layers[5]:cls 2→2 pkd",
      ]);
      for (const name of ["layers[2]:hidden 2→2 mse", "layers[5]:cls 2→2 pkd"]) {
        const first = parts[0][name], last = parts.at(-1)![name];
        assert.ok(last < first, `${name}: ${first} → ${last}`);
      }
    } finally {
      teacher.dispose();
      student.dispose();
    }
  },
);

Deno.test(
  "distill: a teacher cache gives exactly the live teacher's training; same seed, same run",
  async () => {
    const teacher = createTinyClassifier(teacherConfig);
    const root = Deno.makeTempDirSync();
    try {
      const cache = buildTeacherCache(teacher, all, {
        root,
        numExamples: examples.length,
        keyParts: {
          teacherSha256: "t",
          tokenizer: "hashed64",
          maxLength: 16,
          split: "sst2/dev[:320]",
          examplesSha256: hashExamples(examples),
        },
      });
      const curves: number[][] = [];
      for (const source of [teacher, cache, teacher]) {
        const student = createTinyClassifier(studentConfig);
        const s = await distill(source, student, { train }, {
          objective: { kl: { temperature: 2 } },
          epochs: 2,
          seed: 5,
        });
        curves.push(s.lossCurve.map((p) => p.loss));
        student.dispose();
      }
      assert.deepEqual(curves[1], curves[0], "cache = live teacher");
      assert.deepEqual(curves[2], curves[0], "deterministic");
      // A different seed changes the batch order and dropout.
      const student = createTinyClassifier(studentConfig);
      const other = await distill(cache, student, { train }, {
        objective: { kl: { temperature: 2 } },
        epochs: 2,
        seed: 6,
      });
      assert.notDeepEqual(other.lossCurve.map((p) => p.loss), curves[0]);
      // A cache cannot serve attention; the error names the entry.
      await assert.rejects(
        distill(cache, student, { train }, {
          objective: {
            layers: [{ teacherLayer: 1, studentLayer: 1, feature: "attention", loss: "mse" }],
          },
        }),
        /layers\[0\]: feature "attention" is not available from the teacher cache \(logits only\)/,
      );
      student.dispose();
    } finally {
      teacher.dispose();
      Deno.removeSync(root, { recursive: true });
    }
  },
);

Deno.test(
  "distill: early stopping, NaN teacher and bad layer indices fail or stop clearly",
  async () => {
    const teacher = createTinyClassifier(teacherConfig);
    const student = createTinyClassifier(studentConfig);
    try {
      const validation = teacherLabelled(teacher, heldOut);
      // lr 0: nothing improves after the first evaluation → stop after 1 + patience evaluations.
      const evals: number[] = [];
      const checkpoints: string[] = [];
      const s = await distill(teacher, student, { train, validation }, {
        learningRate: 0,
        evalEvery: 1,
        patience: 2,
        epochs: 3,
        onEvaluate: (e) => evals.push(e.step),
        onCheckpoint: (c) => void checkpoints.push(`${c.reason}@${c.step}`),
      });
      assert.equal(s.stopped, "early-stopping");
      assert.deepEqual(evals, [1, 2, 3]);
      assert.deepEqual(checkpoints, ["best@1", "end@3"]);
      // NaN teacher logits: a clear error, and the student is not updated.
      const nanTeacher: Classifier = {
        ...teacher,
        forward: (b, o) => {
          const out = teacher.forward(b, o);
          const logits = tf.mul(out.logits, NaN) as tf.Tensor2D;
          out.logits.dispose();
          return { ...out, logits };
        },
      };
      const w = student.params.get("classifier.weight")!.dataSync().slice();
      await assert.rejects(
        distill(nanTeacher, student, { train }),
        /the loss is NaN at step 1 \(epoch 0; kl=NaN\); no update was applied/,
      );
      assert.deepEqual(student.params.get("classifier.weight")!.dataSync(), w);
      await assert.rejects(
        distill(teacher, student, { train }, {
          objective: {
            layers: [{ teacherLayer: 3, studentLayer: 1, feature: "hidden", loss: "mse" }],
          },
        }),
        new RegExp(
          String.raw`layers\[0\]: teacherLayer 3 is out of range for feature "hidden": ` +
            String.raw`the teacher has 2 layers, valid 0\.\.2`,
        ),
      );
      await assert.rejects(
        distill(teacher, student, { train }, { objective: { kl: { weight: 0 } } }),
        /every loss weight is 0/,
      );
      await assert.rejects(
        distill(teacher, student, { train: [{ ...train[0], labels: undefined }] }, {
          objective: { ce: { weight: 1 } },
        }),
        /objective\.ce needs labels/,
      );
    } finally {
      teacher.dispose();
      student.dispose();
    }
  },
);

Deno.test(
  "distill: cached hidden states (float16 tokens / [CLS]) track the live teacher closely",
  async () => {
    const teacher = createTinyClassifier(teacherConfig);
    const root = Deno.makeTempDirSync();
    const keyParts = {
      teacherSha256: "t",
      tokenizer: "hashed64",
      maxLength: 16,
      split: "sst2/dev[:320]",
      examplesSha256: hashExamples(examples),
    };
    try {
      const cases = [
        {
          pooling: "tokens" as const,
          match: {
            teacherLayer: 2,
            studentLayer: 1,
            feature: "hidden" as const,
            loss: "mse" as const,
          },
        },
        {
          pooling: "cls" as const,
          match: {
            teacherLayer: 2,
            studentLayer: 1,
            feature: "cls" as const,
            loss: "pkd" as const,
          },
        },
      ];
      for (const { pooling, match } of cases) {
        const cache = buildTeacherCache(teacher, all, {
          root,
          numExamples: examples.length,
          keyParts,
          hidden: { layers: [2], pooling },
        });
        const curves: number[][] = [];
        for (const source of [teacher, cache]) {
          const student = createTinyClassifier(studentConfig);
          const s = await distill(source, student, { train }, {
            objective: { layers: [match] },
            epochs: 2,
            seed: 5,
            learningRate: 1e-2,
          });
          curves.push(s.lossCurve.map((p) => p.loss));
          student.dispose();
        }
        curves[0].forEach((live, i) => {
          assert.ok(
            Math.abs(curves[1][i] - live) <= 1e-3 * Math.max(1, live),
            `${pooling} step ${i + 1}: ${curves[1][i]} vs ${live}`,
          );
        });
      }
    } finally {
      teacher.dispose();
      Deno.removeSync(root, { recursive: true });
    }
  },
);

Deno.test(
  "distill(null, …): plain supervised training fits the labels; " +
    "a teacher loss without a teacher is refused",
  async () => {
    const teacher = createTinyClassifier(teacherConfig);
    // learnable labels: a fixed function of the input
    const labelled = teacherLabelled(teacher, train);
    teacher.dispose();
    const student = createTinyClassifier({ ...studentConfig, dropout: 0 });
    try {
      const before = evaluateAccuracy(student, labelled);
      const summary = await distill(null, student, { train: labelled }, {
        objective: { kl: { weight: 0 }, ce: { weight: 1 } },
        epochs: 12,
        learningRate: 3e-2,
        seed: 5,
      });
      const after = evaluateAccuracy(student, labelled);
      assert.ok(after > before + 0.15, `training accuracy ${before} -> ${after}`);
      assert.ok(summary.lossCurve.every((p) => Object.keys(p.parts).join() === "ce"));
      await assert.rejects(
        () => distill(null, student, { train: labelled }, { objective: { kl: { weight: 1 } } }),
        /without a teacher/,
      );
    } finally {
      student.dispose();
    }
  },
);
