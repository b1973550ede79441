/**
 * BERT-PKD style (Sun et al. 2019, "Patient Knowledge Distillation for BERT Model Compression"),
 * PKD-Skip variant, scaled to our teacher (4 layers, hidden 256).
 *
 * Student: 2 layers at the teacher's width (hidden 256, 4 heads, FF 1024), initialised from the
 * teacher's first 2 layers plus its embeddings, pooler and classifier (as PKD initialises from
 * the first k layers). Loss: (1 − α)·CE + α·KD_T + β·Σ patient loss on normalised [CLS]
 * states, with PKD-Skip's map: student layer 1 ↔ teacher layer 2 (every other teacher layer; the
 * last layer is left to the logit loss, as in the paper).
 *
 * Deviations:
 * - Compression: the full 30,522 × 256 word table is 7.8M of the teacher's 11.1M parameters, so a
 *   student at teacher width could not pass 1.43x; the word table is factorised ALBERT-style to
 *   [vocab, 16] + a 16 → 256 projection, initialised from the teacher table's best rank-16
 *   approximation (types.ts FACTORISED_EMBEDDING_SIZE), which puts the student at ≈5.1x, inside
 *   RoSearch's 4.6-6.5x. PKD itself keeps BERT's full embeddings.
 * - Initialised from the fine-tuned teacher (PKD copies pre-trained BERT's layers).
 * - KD term: tfjs KL·T² (Hinton) at T = 5 with α = 0.5 (PKD: soft CE without T², α and T grid
 *   searched); β = 10 (smallest value of PKD's grid {10, 100, 500, 1000}: short training).
 * - [CLS] teacher states come from the teacher-output cache ("cls" pooling), not a live teacher.
 * - No hyper-parameter search; single run, fixed budget.
 */
import { createBertClassifier } from "../../models/mod.ts";
import { initFromTeacher } from "./_init_from_teacher.ts";
import { type Baseline, FACTORISED_EMBEDDING_SIZE, studentBertConfig } from "./types.ts";

export const pkd: Baseline = {
  name: "pkd",
  initialisation: "teacher embeddings, layers 1-2 and head; word table: best rank-16 factorisation",
  style: "BERT-PKD skip (Sun et al. 2019)",
  createStudent(teacher, { seed }) {
    const t = teacher.config;
    const student = createBertClassifier(
      studentBertConfig(t, {
        layers: 2,
        hidden: t.hidden_size,
        heads: t.num_attention_heads,
        intermediate: t.intermediate_size,
        embedding: FACTORISED_EMBEDDING_SIZE,
      }),
      { seed },
    );
    initFromTeacher(student, teacher, [0, 1]);
    return student;
  },
  objective: () => ({
    kl: { weight: 0.5, temperature: 5 },
    ce: { weight: 0.5 },
    layers: [{ teacherLayer: 2, studentLayer: 1, feature: "cls", loss: "pkd", weight: 10 }],
  }),
  teacher: { source: "cache", clsLayers: [2] },
  learningRate: 1e-4,
  defaultMaxSteps: 600,
};
