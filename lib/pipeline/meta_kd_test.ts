import assert from "node:assert/strict";
import { DEFAULT_TEACHER_DIR } from "../project/mod.ts";
import { metaKdStudent, metaKdStudentObjective, metaKdTeacher } from "./meta_kd.ts";

Deno.test("Meta-KD student objective: hidden 0->0, 1->2, 2->4 and attention 1->2, 2->4", () => {
  const o = metaKdStudentObjective(4, 2);
  const pairs = o.layers.map((m) => `${m.feature} ${m.studentLayer}->${m.teacherLayer}`);
  assert.deepEqual(pairs, [
    "hidden 0->0",
    "hidden 1->2",
    "attention 1->2",
    "hidden 2->4",
    "attention 2->4",
  ]);
  assert.deepEqual(o.softCE, { weight: 1, temperature: 2 });
  assert.equal(o.ce.weight, 0);
});

const common = {
  initDir: DEFAULT_TEACHER_DIR,
  epochs: 1,
  learningRate: 1e-4,
  batchSize: 8,
  maxLength: 32,
  seed: 1,
  outDir: "/tmp/never-written",
  trainPerDomain: 16,
};

Deno.test("Meta-KD tasks refuse bad settings before training, naming the field", async () => {
  await assert.rejects(
    () =>
      metaKdStudent({
        ...common,
        name: "s",
        domain: "books",
        teacherDir: DEFAULT_TEACHER_DIR,
        weighting: "meta",
        transferability: [0.5],
      }),
    /needs 16 transferability weights \(one per books training example\), got 1/,
  );
  await assert.rejects(
    () =>
      metaKdStudent({ ...common, name: "s", domain: "books", teacherDir: null, weighting: "meta" }),
    /"meta" weighting needs a teacher/,
  );
  await assert.rejects(
    () =>
      metaKdTeacher({
        ...common,
        name: "t",
        domains: ["books"],
        weighted: true,
        adversarial: false,
      }),
    /need at least two domains/,
  );
  await assert.rejects(
    () =>
      metaKdTeacher({
        ...common,
        epochs: 0,
        name: "t",
        domains: ["books"],
        weighted: false,
        adversarial: false,
      }),
    /epochs must be an integer >= 1, got 0/,
  );
});
