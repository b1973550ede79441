/**
 * Attack throughput: the TextFooler recipe on the first 20 SST-2 dev examples (`--quick`: 5),
 * after one unmeasured warm-up example, against (a) the default teacher and (b) a small student;
 * goal-function queries per second, model rows computed per second, the victim cache's hit
 * rate, the wall time; and each victim's raw batch throughput (examples/s at batch 64, the
 * first 64 dev sentences padded to their longest).
 *
 * (a) is the checkpoint data/teachers/sst2_bert_l4_h256/classifier with its own embedding table
 * when it exists, else a randomly initialised BERT of the teacher's config (L4 H256 A4 F1024);
 * (b) is a randomly initialised L2 H128 A2 F512 BERT. Random models get the PPDB stand-in
 * embedding (experiments/attack/throughput.ts) at their hidden size. Each row's note says which.
 */
import { existsSync } from "node:fs";
import { createBertTokenizer, loadSplit, readVocab } from "../../../lib/data/mod.ts";
import { createBert } from "../../../lib/models/mod.ts";
import type { Classifier } from "../../../lib/models/mod.ts";
import type { WordEmbedding } from "../../../lib/robustness/mod.ts";
import { DEFAULT_TEACHER_DIR, loadVictimModel, ownEmbedding } from "../../attack/setup.ts";
import {
  measureAttackThroughput,
  rawBatchThroughput,
  STUDENT_SIZE,
  synonymEmbedding,
  TEACHER_SIZE,
} from "../../attack/throughput.ts";
import { PROJECT_ROOT } from "../../_shared/project.ts";
import type { BenchRow, BenchSection } from "./types.ts";

export const attackSection: BenchSection = {
  name: "attack",
  description:
    "TextFooler attack throughput (queries/s, cache hit rate) on teacher and small student; " +
    "victim examples/s at batch 64",
  async run(ctx) {
    const n = ctx.quick ? 5 : 20;
    const dev = await loadSplit("sst2", "dev");
    const vocabPath = `${PROJECT_ROOT}data/vocab/bert-base-uncased-vocab.txt`;
    const tokenizer = await createBertTokenizer({ vocabPath });
    const vocab = await readVocab(vocabPath);
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "attack", name, value, unit, ...(note ? { note } : {}) });

    const victims: {
      label: string;
      load: () => Promise<{ model: Classifier; embedding: WordEmbedding; note: string }>;
    }[] = [
      {
        label: "teacher",
        load: async () => {
          if (existsSync(`${DEFAULT_TEACHER_DIR}/manifest.json`)) {
            const { model, vocab: v } = await loadVictimModel(DEFAULT_TEACHER_DIR);
            const embedding = ownEmbedding(model, v);
            if (embedding) return { model, embedding, note: "teacher checkpoint, own embedding" };
            model.dispose();
          }
          return {
            model: createBert(TEACHER_SIZE, { seed: 1 }),
            embedding: synonymEmbedding(vocab, { dim: 256 }),
            note:
              "random weights, teacher config L4 H256 (no checkpoint yet); PPDB stand-in embedding",
          };
        },
      },
      {
        label: "student",
        load: () =>
          Promise.resolve({
            model: createBert(STUDENT_SIZE, { seed: 1 }),
            embedding: synonymEmbedding(vocab, { dim: 128 }),
            note: "random weights, L2 H128 A2 F512; PPDB stand-in embedding",
          }),
      },
    ];
    for (const v of victims) {
      const { model, embedding, note } = await v.load();
      try {
        const raw = rawBatchThroughput(model, tokenizer, dev.map((e) => e.text), {
          batchSize: 64,
          repeats: ctx.quick ? 3 : 5,
        });
        row(
          `${v.label}: victim examples/s, batch 64`,
          raw.examplesPerSecond,
          "ex/s",
          `seq ${raw.seqLen}; ${note}`,
        );
        const r = await measureAttackThroughput(model, tokenizer, dev.slice(0, n), {
          recipe: "textfooler",
          embedding,
          warmup: dev[n],
        });
        row(
          `${v.label}: textfooler goal queries/s`,
          r.goalQueriesPerSecond,
          "queries/s",
          `${r.goalQueries} queries on ${n} examples; ${note}`,
        );
        row(
          `${v.label}: textfooler model rows/s`,
          r.victimRowsPerSecond,
          "rows/s",
          `${r.victimRows} rows computed`,
        );
        row(
          `${v.label}: victim cache hit rate`,
          100 * r.cacheHitRate,
          "%",
          `${r.victimCacheHits} hits`,
        );
        row(
          `${v.label}: textfooler s/example`,
          r.seconds / n,
          "s",
          `success ${r.metrics.attackSuccessRate.toFixed(1)}%`,
        );
      } finally {
        model.dispose();
      }
    }
    return rows;
  },
};
