import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend/mod.ts";
import { createBertClassifier } from "../../../lib/models/mod.ts";
import { parseObjective } from "../../../lib/distill/mod.ts";
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

Deno.test("compression of every baseline against the default teacher, from real countParams", () => {
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
  // In RoSearch's 4.6-6.5x range: the narrow students.
  for (const name of ["tinybert", "bilstm"]) {
    assert.ok(ratios[name] >= 4.6 && ratios[name] <= 6.5, `${name}: ${ratios[name]}`);
  }
  // Teacher-width students cannot pass 1.43x with a 30,522 x 256 table (documented in pkd.ts).
  const bound = t / (30522 * 256);
  assert.ok(bound < 1.43);
  for (const name of ["pkd", "distilbert"]) {
    assert.ok(ratios[name] > 1 && ratios[name] < bound, `${name}: ${ratios[name]}`);
  }
  assert.equal(tf.memory().numTensors, before);
});

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

Deno.test("selectBaselines keeps registry order and names unknown baselines", () => {
  assert.deepEqual(selectBaselines(["bilstm", "pkd"]).map((b) => b.name), ["pkd", "bilstm"]);
  assert.throws(
    () => selectBaselines(["pkd", "nope"]),
    /unknown baseline\(s\) nope; allowed: pkd, tinybert/,
  );
});
