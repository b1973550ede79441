/**
 * MATE-KD's training cost against plain KD (issue 15), side by side in one run: the
 * TinyBERT-style student under a live random teacher of the default teacher's size, on the
 * distill section's synthetic 32 x 32 batches, through lib/distill's one loop.
 * Rows: plain KD step (live teacher, 1/3 CE + 1/3 soft CE at T = 1: MATE-KD's clean terms); the
 * MATE-KD student step (the same plus a generator sample, the teacher on x' and the student's
 * second forward/backward on x'); one generator update (masking, MLM forward, Gumbel, teacher and
 * student on x', backward into the 4 x 256 generator); and the amortised MATE-KD cost per student
 * step at MATE-KD's 10 generator batches per 100 student batches, as a ratio to plain KD.
 */
import { readVocab } from "../../../lib/data/mod.ts";
import { mateKd, mateObjective, tinybert } from "../../../lib/distill/mod.ts";
import {
  type BertModel,
  createBertClassifier,
  createBertForMaskedLM,
} from "../../../lib/models/mod.ts";
import { DEFAULT_VOCAB_PATH } from "../../../lib/project/mod.ts";
import { msPerStep, syntheticBatches, TEACHER } from "./distill.ts";
import type { BenchRow, BenchSection } from "./types.ts";

export const mateKdSection: BenchSection = {
  name: "mate_kd",
  description: "MATE-KD's student step and generator step vs plain KD (TinyBERT-style student)",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "mate_kd", name, value, unit, ...(note ? { note } : {}) });
    const steps = ctx.quick ? 3 : 5;
    const teacher = createBertClassifier(TEACHER, { seed: 1 }) as BertModel;
    const generator = createBertForMaskedLM({ ...TEACHER }, { seed: 3 });
    const vocab = await readVocab(DEFAULT_VOCAB_PATH);
    const batches = syntheticBatches(4, 3);
    const student = tinybert.createStudent(teacher, { seed: 2 }) as BertModel;
    // generator phases far apart, so the median student step is the student's own cost
    const mate = mateKd({ generator, vocab, generatorSteps: 1, studentSteps: 1000, seed: 1 });
    try {
      const plain = await msPerStep(teacher, student, batches, mateObjective(), steps, 1);
      const withMate = await msPerStep(teacher, student, batches, mateObjective(), steps, 1, {
        augmenter: mate,
      });
      mate.generatorPhase(batches.slice(0, 1), teacher, student); // warm-up (Adam slots)
      const reps = ctx.quick ? 2 : 4;
      const t0 = performance.now();
      mate.generatorPhase(batches.slice(0, reps), teacher, student);
      const generatorMs = (performance.now() - t0) / reps;
      const amortised = withMate + (10 / 100) * generatorMs;
      row("plain KD step ms (live teacher, CE + soft CE)", plain, "ms", "batch 32x32");
      row("MATE-KD student step ms (+ x' from the generator)", withMate, "ms");
      row("MATE-KD generator step ms", generatorMs, "ms", "4 x 256 masked LM, 30% masked");
      row("MATE-KD per student step, amortised (10 gen / 100 student)", amortised, "ms");
      row("MATE-KD / plain KD, per student step", amortised / plain, "x");
    } finally {
      mate.dispose();
      student.dispose();
      teacher.dispose();
      generator.dispose();
    }
    return rows;
  },
};
