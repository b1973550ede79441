import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../backend/mod.ts";
import { createBertClassifier, factoriseEmbedding } from "../../models/mod.ts";
import { parseObjective } from "../objective.ts";
import { BASELINES, initFromTeacher, selectBaselines } from "./mod.ts";

await initBackend();

const DEFAULT_TEACHER = {
  vocab_size: 30522,
  hidden_size: 256,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  intermediate_size: 1024,
  max_position_embeddings: 128,
};

Deno.test(
  "compression of every baseline against the default teacher, " +
    "from real countParams",
  () => {
    const before = tf.memory().numTensors;
    const teacher = createBertClassifier(DEFAULT_TEACHER, { seed: 1 });
    const t = teacher.countParams();
    const ratios: Record<string, number> = {};
    for (const b of BASELINES) {
      const s = b.createStudent(teacher, { seed: 2 });
      ratios[b.name] = t / s.countParams();
      parseObjective(b.objective(teacher.config)); // every objective is valid for this teacher
      s.dispose();
    }
    teacher.dispose();
    // Every baseline in RoSearch's 4.6-6.5x range (PKD and DistilBERT through the
    // factorised table).
    for (const name of ["pkd", "tinybert", "distilbert", "bilstm"]) {
      assert.ok(ratios[name] >= 4.6 && ratios[name] <= 6.5, `${name}: ${ratios[name]}`);
    }
    assert.equal(tf.memory().numTensors, before);
  },
);

Deno.test("initFromTeacher copies DistilBERT's alternate layers and rejects other widths", () => {
  const teacher = createBertClassifier({
    ...DEFAULT_TEACHER,
    hidden_size: 32,
    intermediate_size: 64,
    num_attention_heads: 2,
    vocab_size: 200,
  }, { seed: 3 });
  const student = BASELINES.find((b) => b.name === "distilbert")!.createStudent(teacher, {
    seed: 4,
  });
  const same = (a: string, b: string) =>
    tf.tidy(() =>
      tf.max(tf.abs(tf.sub(student.params.get(a)!, teacher.params.get(b)!))).dataSync()[0]
    );
  assert.equal(
    same("bert.encoder.layer.1.output.dense.weight", "bert.encoder.layer.2.output.dense.weight"),
    0,
  );
  assert.equal(
    same(
      "bert.encoder.layer.0.attention.self.query.weight",
      "bert.encoder.layer.0.attention.self.query.weight",
    ),
    0,
  );
  assert.ok(
    same("bert.encoder.layer.1.output.dense.weight", "bert.encoder.layer.1.output.dense.weight") >
      0,
  );
  assert.equal(same("classifier.weight", "classifier.weight"), 0);
  const narrow = createBertClassifier({
    ...DEFAULT_TEACHER,
    hidden_size: 16,
    intermediate_size: 64,
    num_attention_heads: 2,
    vocab_size: 200,
    num_hidden_layers: 2,
  });
  assert.throws(() => initFromTeacher(narrow, teacher, [0, 2]), /must have the teacher's width/);
  assert.throws(
    () => initFromTeacher(student as never, teacher, [0, 9]),
    /teacher layer 9 does not exist/,
  );
  [teacher, student, narrow].forEach((m) => m.dispose());
});

Deno.test(
  "initFromTeacher starts a factorised student table from the teacher table's " +
    "rank-E approximation",
  () => {
    const before = tf.memory().numTensors;
    const small = {
      ...DEFAULT_TEACHER,
      hidden_size: 32,
      intermediate_size: 64,
      num_attention_heads: 2,
      vocab_size: 300,
    };
    const teacher = createBertClassifier(small, { seed: 5 });
    const pkd = BASELINES.find((b) => b.name === "pkd")!.createStudent(teacher, { seed: 6 });
    const words = "bert.embeddings.word_embeddings.weight";
    assert.deepEqual(pkd.params.get(words)!.shape, [300, 16]);
    // student table · projection ≈ teacher table (rank 16 of a random 300 x 32 table keeps
    // most of it)
    const rel = tf.tidy(() => {
      const approx = tf.matMul(
        pkd.params.get(words)!,
        pkd.params.get("bert.embeddings.word_embeddings_projection.weight")!,
      );
      const t = teacher.params.get(words)!;
      return tf.norm(tf.sub(approx, t)).dataSync()[0] / tf.norm(t).dataSync()[0];
    });
    // exactly the teacher table's best rank-16 approximation (a random start would give ~1.0)
    const best = factoriseEmbedding(teacher.params.get(words)! as tf.Tensor as tf.Tensor2D, 16, {
      seed: 0,
    });
    tf.dispose([best.table, best.projection]);
    assert.ok(Math.abs(rel - best.relativeError) < 1e-3, `${rel} vs ${best.relativeError}`);
    assert.ok(rel < 0.8, `relative error ${rel}`);
    [teacher, pkd].forEach((m) => m.dispose());
    assert.equal(tf.memory().numTensors, before);
  },
);

Deno.test("selectBaselines keeps registry order and names unknown baselines", () => {
  assert.deepEqual(selectBaselines(["bilstm", "pkd"]).map((b) => b.name), ["pkd", "bilstm"]);
  assert.throws(
    () => selectBaselines(["pkd", "nope"]),
    /unknown baseline\(s\) nope; allowed: pkd, tinybert/,
  );
});
