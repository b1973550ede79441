/**
 * Timing of the TextFooler-style recipe on the first n SST-2 dev examples (the target:
 * n = 100 against the default teacher in <= 5 min, against a KD student in <= 2 min, 2 cores).
 *
 *   deno run -A experiments/attack/_timing.ts [--n 100]
 *     [--model teacher|random-teacher|random-student|DIR]
 *     [--embedding model|synonyms] [--recipe textfooler] [--batch-size 32]
 *
 * `random-teacher`: a randomly initialised BERT of the teacher's config (L4 H256 A4 F1024);
 * `random-student`: L2 H128 A2 F512 (a small KD student's size). `--embedding synonyms` uses the
 * PPDB stand-in embedding of throughput.ts at the model's hidden size (default for random models,
 * whose own tables let almost no candidate through the similarity constraints).
 */
import { parseArgs } from "node:util";
import { initBackend } from "../../lib/backend/mod.ts";
import { createBertTokenizer, loadSplit, readVocab } from "../../lib/data/mod.ts";
import { createBert } from "../../lib/models/mod.ts";
import type { Classifier } from "../../lib/models/mod.ts";
import { type RecipeName, recipeNeeds } from "../../lib/robustness/mod.ts";
import { loadMaskedLM } from "../../lib/robustness/tfjs.ts";
import { formatSeconds, PROJECT_ROOT } from "../_shared/project.ts";
import {
  measureAttackThroughput,
  rawBatchThroughput,
  STUDENT_SIZE,
  synonymEmbedding,
  TEACHER_SIZE,
} from "./throughput.ts";
import { DEFAULT_MLM_DIR, loadVictimModel, ownEmbedding, resolveModelDir } from "./setup.ts";

if (import.meta.main) {
  const { values: a } = parseArgs({
    args: Deno.args,
    options: {
      n: { type: "string", default: "100" },
      model: { type: "string", default: "random-teacher" },
      embedding: { type: "string" },
      recipe: { type: "string", default: "textfooler" },
      "batch-size": { type: "string", default: "32" },
      mlm: { type: "string", default: DEFAULT_MLM_DIR },
    },
  });
  const backend = await initBackend();
  const n = Number(a.n);
  const dev = await loadSplit("sst2", "dev");
  const tokenizer = await createBertTokenizer();
  const vocab = await readVocab(`${PROJECT_ROOT}data/vocab/bert-base-uncased-vocab.txt`);
  let model: Classifier;
  const random = a.model === "random-teacher" || a.model === "random-student";
  if (random) {
    model = createBert(a.model === "random-teacher" ? TEACHER_SIZE : STUDENT_SIZE, { seed: 1 });
  } else {
    model = (await loadVictimModel(resolveModelDir(a.model!))).model;
  }
  const embKind = a.embedding ?? (random ? "synonyms" : "model");
  const hidden = model.config as { hidden_size?: number; embedding_dim?: number };
  const t0 = performance.now();
  const embedding = embKind === "synonyms"
    ? synonymEmbedding(vocab, { dim: hidden.hidden_size ?? hidden.embedding_dim ?? 256 })
    : ownEmbedding(model, vocab);
  const embSeconds = (performance.now() - t0) / 1000;
  const mlm = recipeNeeds(a.recipe!).includes("mlm") ? await loadMaskedLM(a.mlm!) : undefined;
  const raw = rawBatchThroughput(model, tokenizer, dev.map((e) => e.text), { batchSize: 64 });
  console.log(
    `backend ${backend.backend}; model ${a.model} (${model.countParams()} params); ` +
      `embedding ${embKind} ` +
      `(built in ${embSeconds.toFixed(1)} s); raw victim ${
        raw.examplesPerSecond.toFixed(0)
      } examples/s ` +
      `at batch 64 (seq ${raw.seqLen}, ${raw.msPerBatch.toFixed(0)} ms/batch)`,
  );
  const r = await measureAttackThroughput(model, tokenizer, dev.slice(0, n), {
    recipe: a.recipe as RecipeName,
    embedding,
    mlm,
    batchSize: Number(a["batch-size"]),
    warmup: dev[n],
    onExample: (d) => d % 10 === 0 && console.error(`  ${d}/${n}`),
  });
  console.log(
    `${r.recipe} on ${n} SST-2 dev examples: ${
      formatSeconds(r.seconds)
    }; goal queries ${r.goalQueries} ` +
      `(${r.goalQueriesPerSecond.toFixed(0)}/s), model rows ${r.victimRows} (${
        r.victimRowsPerSecond.toFixed(0)
      }/s), ` +
      `victim cache hit rate ${(100 * r.cacheHitRate).toFixed(1)}%\n` +
      `original acc ${r.metrics.originalAccuracy.toFixed(1)}%, under attack ${
        r.metrics.accuracyUnderAttack.toFixed(1)
      }%, ` +
      `success ${r.metrics.attackSuccessRate.toFixed(1)}%, avg queries ${
        r.metrics.avgNumQueries.toFixed(1)
      }`,
  );
  model.dispose();
}
