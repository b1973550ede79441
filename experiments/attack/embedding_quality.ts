/**
 * How well does a checkpoint's word-embedding table stand in for TextFooler's counter-fitted
 * vectors? `deno run --allow-read experiments/attack/embedding_quality.ts DIR [DIR ...]`
 *
 * Per checkpoint: the share of the bundled PPDB synonym pairs (both words whole vocabulary
 * entries) whose cosine reaches 0.5 (TextFooler's WordEmbeddingDistance threshold), the median
 * cosine of those pairs and of random word pairs (seeded), and the 8 nearest neighbours of a few
 * probe words. A table trained only on a sentiment task groups words by polarity, not meaning.
 */
import { DEFAULT_VOCAB_PATH, loadCheckpoint } from "../../lib/models/mod.ts";
import { readVocab } from "../../lib/data/mod.ts";
import { loadSynonymPairs } from "../../lib/robustness/mod.ts";
import { cosine } from "../../lib/robustness/mod.ts";
import { embeddingFromModel } from "../../lib/robustness/tfjs.ts";
import { Prng } from "../../lib/random/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";

export interface EmbeddingQuality {
  dir: string;
  pairs: number;
  shareAtLeast05: number;
  medianSynonymCosine: number;
  medianRandomCosine: number;
  neighbours: Record<string, string[]>;
}

const PROBES = ["good", "bad", "movie", "funny", "boring", "actor"];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};

export async function embeddingQuality(dir: string): Promise<EmbeddingQuality> {
  const { model } = await loadCheckpoint(dir);
  try {
    const vocab = await readVocab(DEFAULT_VOCAB_PATH);
    const paramName = model.params.has("embedding.weight")
      ? "embedding.weight"
      : "bert.embeddings.word_embeddings.weight";
    const emb = embeddingFromModel(model, vocab, { paramName });
    const table = loadSynonymPairs(`${PROJECT_ROOT}data/synonyms/ppdb_synonyms.txt`);
    const syn: number[] = [];
    for (const [a, bs] of table) {
      const va = emb.vector(a);
      if (!va) continue;
      for (const b of bs) {
        const vb = a < b ? emb.vector(b) : undefined; // each unordered pair once
        if (vb) syn.push(cosine(va, vb));
      }
    }
    const prng = Prng.fromSeed(0);
    const words = vocab.filter((w) => /^\p{L}+$/u.test(w));
    const rnd = Array.from({ length: 5000 }, () => {
      const a = emb.vector(words[prng.int(words.length)])!;
      return cosine(a, emb.vector(words[prng.int(words.length)])!);
    });
    return {
      dir: dir.replace(PROJECT_ROOT, ""),
      pairs: syn.length,
      shareAtLeast05: syn.filter((c) => c >= 0.5).length / Math.max(1, syn.length),
      medianSynonymCosine: median(syn),
      medianRandomCosine: median(rnd),
      neighbours: Object.fromEntries(
        PROBES.map((w) => [w, emb.neighbours(w, 8).map((n) => n.word)]),
      ),
    };
  } finally {
    model.dispose();
  }
}

if (import.meta.main) {
  if (Deno.args.length === 0) {
    console.log("usage: embedding_quality.ts CHECKPOINT_DIR [...]");
    Deno.exit(2);
  }
  for (const dir of Deno.args) {
    const q = await embeddingQuality(dir);
    console.log(
      `${q.dir}: ${q.pairs} PPDB pairs, ${
        (100 * q.shareAtLeast05).toFixed(1)
      }% at cosine >= 0.5, ` +
        `median cosine synonyms ${q.medianSynonymCosine.toFixed(3)} vs random ${
          q.medianRandomCosine.toFixed(3)
        }`,
    );
    for (const [w, ns] of Object.entries(q.neighbours)) console.log(`  ${w}: ${ns.join(", ")}`);
  }
}
