/**
 * DistilBERT style (Sanh et al. 2019, "DistilBERT, a distilled version of BERT"), scaled to our
 * teacher (4 layers, hidden 256).
 *
 * Student: half the depth (2 layers) at the teacher's width, initialised from alternate teacher
 * layers (teacher layers 0 and 2, 0-based, as DistilBERT takes one layer out of two) plus the
 * teacher's embeddings, pooler and classifier. Loss: DistilBERT's weights α_ce = 5 on the soft
 * targets at T = 2 (KL·T², as its code), α_cos = 1 on the cosine loss between the last hidden
 * states of student and teacher (every real token), and α = 2 on the gold-label CE in place of
 * the MLM loss (weight 2 in DistilBERT).
 *
 * Deviations:
 * - Compression: the 30,522 × 256 embedding table alone is 70% of the teacher, so half depth at
 *   teacher width would give only ≈1.17x; the word table is factorised ALBERT-style to
 *   [vocab, 16] + a 16 → 256 projection initialised from the teacher table's best rank-16
 *   approximation (types.ts), ≈5.1x. DistilBERT itself keeps BERT's full embeddings.
 * - Task-specific distillation on SST-2 only (DistilBERT distils during pre-training on
 *   BooksCorpus + Wikipedia with the MLM loss, then fine-tunes); the MLM term is replaced by
 *   gold-label CE. Initialised from the fine-tuned teacher.
 * - Needs the live teacher (token hidden states of all of SST-2 train are too large to cache).
 */
import { type BertModel, createBertClassifier } from "../../models/mod.ts";
import { initFromTeacher } from "./_init_from_teacher.ts";
import { type Baseline, FACTORISED_EMBEDDING_SIZE, studentBertConfig } from "./types.ts";

/**
 * DistilBERT's student shape: half the teacher's depth at its width, initialised from every other
 * teacher layer, its embeddings, pooler and classifier. `embedding`: the factorised word-table
 * width (the baseline: 16, ≈5.1x); absent: the teacher's full table (≈1.2x, as DistilBERT).
 */
export function halfDepthStudent(
  teacher: BertModel,
  o: { seed: number; embedding?: number },
): BertModel {
  const t = teacher.config;
  const layers = Math.max(1, Math.floor(t.num_hidden_layers / 2));
  const student = createBertClassifier(
    studentBertConfig(t, {
      layers,
      hidden: t.hidden_size,
      heads: t.num_attention_heads,
      intermediate: t.intermediate_size,
      ...(o.embedding ? { embedding: o.embedding } : {}),
    }),
    { seed: o.seed },
  );
  initFromTeacher(student, teacher, Array.from({ length: layers }, (_, i) => 2 * i));
  return student;
}

export const distilbert: Baseline = {
  name: "distilbert",
  initialisation:
    "teacher embeddings, every other layer and head; word table: rank-16 factorisation",
  style: "DistilBERT (Sanh et al. 2019)",
  createStudent: (teacher, { seed }) =>
    halfDepthStudent(teacher, { seed, embedding: FACTORISED_EMBEDDING_SIZE }),
  objective: (t) => ({
    kl: { weight: 5, temperature: 2 },
    ce: { weight: 2 },
    layers: [{
      teacherLayer: t.num_hidden_layers,
      studentLayer: Math.max(1, Math.floor(t.num_hidden_layers / 2)),
      feature: "hidden",
      loss: "cosine",
      weight: 1,
    }],
  }),
  teacher: { source: "live" },
  learningRate: 1e-4,
  defaultMaxSteps: 500,
};
