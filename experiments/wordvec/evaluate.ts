/**
 * Evaluation of the word vectors before and after counter-fitting, next to the teacher's
 * word-embedding table (what the attack recipes use today). Prints Markdown (the evaluation
 * section of data/wordvec/README.md, which `deno task wordvectors` writes with it):
 *
 *   deno run --allow-read=. experiments/wordvec/evaluate.ts [--dir data/wordvec]
 *     [--teacher data/teachers/sst2_bert_l4_h256/classifier] [--no-teacher]
 *
 * - Held-out pairs: the seeded 10% of synonym and antonym pairs that counter-fitting never saw
 *   (recomputed from words.txt and the held-out seed stored in the vectors' metadata). Mean
 *   cosine, share at cosine >= 0.5 (TextFooler's WordEmbeddingDistance threshold), and ROC AUC
 *   of cosine separating synonyms from antonyms and from random pairs (5,000, seeded).
 * - The same on the held-out pairs whose two words are also whole tokens of the BERT vocabulary,
 *   so the teacher's table (its rows of whole-word tokens only) is compared on equal pairs.
 * - The teacher's line from experiments/attack/embedding_quality.ts (all PPDB pairs).
 * - cos(charming, sorcerous), cos(affecting, dissemble), the rank of `sorcerous` among the
 *   neighbours of `charming`; how many WordNet candidates of a few words have a vector and
 *   reach cosine 0.5; the 10 nearest neighbours of common sentiment words.
 */
import { parseArgs } from "node:util";
import {
  DEFAULT_WORDVEC_DIR,
  loadWordVectors,
  readConstraintPairs,
  SKIPGRAM_FILE,
  splitConstraints,
  vocabularyOf,
} from "../../lib/wordvec/mod.ts";
import { DEFAULT_TEACHER_DIR, relativeToProject } from "../../lib/project/mod.ts";
import { type MatrixEmbedding, WordSwapWordNet } from "../../lib/robustness/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { rocAuc, scorePairs } from "./pair_metrics.ts";

export const PROBE_WORDS: readonly string[] = [
  "good",
  "bad",
  "charming",
  "affecting",
  "funny",
  "boring",
  "great",
  "terrible",
  "love",
  "hate",
  "best",
  "worst",
  "beautiful",
  "dull",
  "movie",
  "actor",
];

/**
 * Word pairs to show: the two swaps the issue names (seen in attacks with the teacher's table),
 * two synonym and two antonym pairs.
 */
export const NAMED_PAIRS: readonly (readonly [string, string])[] = [
  ["charming", "sorcerous"],
  ["affecting", "dissemble"],
  ["charming", "delightful"],
  ["boring", "dull"],
  ["good", "bad"],
  ["love", "hate"],
];

/** Words whose WordNet candidates are checked against the 0.5 threshold. */
export const WORDNET_PROBES: readonly string[] = ["charming", "affecting", "funny", "boring"];

export interface EvaluateOptions {
  dir?: string;
  /** Teacher classifier folder; `null` skips the teacher column. */
  teacherDir?: string | null;
  randomPairs?: number;
  seed?: number;
}

type Pair = readonly [string, string];

function pairsOf(flat: Int32Array, words: readonly string[]): Pair[] {
  const out: Pair[] = [];
  for (let p = 0; p < flat.length; p += 2) out.push([words[flat[p]], words[flat[p + 1]]]);
  return out;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–");

interface Column {
  name: string;
  emb: MatrixEmbedding;
}

function metricTable(cols: Column[], syn: Pair[], ant: Pair[], rnd: Pair[]): string {
  const s = cols.map((c) => scorePairs(c.emb, syn));
  const a = cols.map((c) => scorePairs(c.emb, ant));
  const r = cols.map((c) => scorePairs(c.emb, rnd));
  const row = (label: string, f: (i: number) => string) =>
    `| ${label} | ${cols.map((_, i) => f(i)).join(" | ")} |`;
  return [
    `| metric | ${cols.map((c) => c.name).join(" | ")} |`,
    `|---|${cols.map(() => "---:").join("|")}|`,
    row("synonym pairs scored", (i) => `${s[i].covered} / ${s[i].total}`),
    row("antonym pairs scored", (i) => `${a[i].covered} / ${a[i].total}`),
    row("mean cosine, synonyms", (i) => f3(s[i].mean)),
    row("mean cosine, antonyms", (i) => f3(a[i].mean)),
    row("mean cosine, random pairs", (i) => f3(r[i].mean)),
    row("synonyms at cosine >= 0.5", (i) => pct(s[i].shareAtLeast)),
    row("antonyms at cosine >= 0.5", (i) => pct(a[i].shareAtLeast)),
    row("random pairs at cosine >= 0.5", (i) => pct(r[i].shareAtLeast)),
    row("ROC AUC synonyms vs antonyms", (i) => f3(rocAuc(s[i].cosines, a[i].cosines))),
    row("ROC AUC synonyms vs random", (i) => f3(rocAuc(s[i].cosines, r[i].cosines))),
  ].join("\n");
}

/** 1-based rank of `b` among the neighbours of `a` (whole-word candidates), if both are known. */
function rankOf(emb: MatrixEmbedding, a: string, b: string): number | undefined {
  if (!emb.vector(a) || !emb.vector(b)) return undefined;
  const i = emb.neighbours(a, emb.vocab.length).findIndex((n) => n.word === b.toLowerCase());
  return i < 0 ? undefined : i + 1;
}

/** Loads the teacher's table the attacks use (tfjs), or explains why not. */
async function teacherColumn(dir: string): Promise<{ column?: Column; line: string }> {
  try {
    const { teacherEmbedding } = await import("../../lib/robustness/tfjs.ts");
    const { embeddingQuality } = await import("../attack/embedding_quality.ts");
    const emb = await teacherEmbedding(dir);
    const q = await embeddingQuality(dir);
    return {
      column: { name: "teacher table", emb },
      line: `experiments/attack/embedding_quality.ts on the teacher (${q.dir}): ${q.pairs} PPDB ` +
        `synonym pairs with both words whole BERT tokens, ${pct(q.shareAtLeast05)} at cosine ` +
        `>= 0.5, median cosine ${f3(q.medianSynonymCosine)} vs ${
          f3(q.medianRandomCosine)
        } for random vocabulary pairs.`,
    };
  } catch (e) {
    return { line: `Teacher table not evaluated: ${(e as Error).message}` };
  }
}

/** The evaluation as Markdown (see the file comment). */
export async function evaluateWordVectors(options: EvaluateOptions = {}): Promise<string> {
  const dir = options.dir ?? DEFAULT_WORDVEC_DIR;
  const teacherDir = options.teacherDir === undefined ? DEFAULT_TEACHER_DIR : options.teacherDir;
  const after = await loadWordVectors(dir);
  const before = await loadWordVectors(dir, { file: SKIPGRAM_FILE });
  const words = after.vocab;
  const heldOut = Number(after.metadata.heldOut ?? "0.1");
  const seed = Number(after.metadata.heldOutSeed ?? "2016");
  const pairs = await readConstraintPairs();
  const split = splitConstraints(vocabularyOf(words, after.counts), pairs, { heldOut, seed });
  const syn = pairsOf(split.heldOutSynonyms, words), ant = pairsOf(split.heldOutAntonyms, words);
  const prng = Prng.fromSeed(options.seed ?? 0);
  const rnd: Pair[] = [];
  while (rnd.length < (options.randomPairs ?? 5000)) {
    const a = words[prng.int(words.length)], b = words[prng.int(words.length)];
    if (a !== b) rnd.push([a, b]);
  }
  const mine: Column[] = [
    { name: "skip-gram (before)", emb: before },
    { name: "counter-fitted (after)", emb: after },
  ];
  const teacher = teacherDir === null
    ? { line: "Teacher table not evaluated (--no-teacher)." }
    : await teacherColumn(teacherDir);
  const cols = teacher.column ? [...mine, teacher.column] : mine;
  const out: string[] = [];
  out.push(
    `Held-out pairs (seed ${seed}, ${pct(heldOut)} of each kind with both words in the ` +
      `vocabulary; never used in training): ${syn.length} synonym and ${ant.length} antonym ` +
      `pairs; ${rnd.length} random vocabulary pairs (seed ${options.seed ?? 0}).`,
    "",
    metricTable(mine, syn, ant, rnd),
    "",
  );
  const trainSyn = pairsOf(split.synonyms, words), trainAnt = pairsOf(split.antonyms, words);
  const ts = scorePairs(after, trainSyn), ta = scorePairs(after, trainAnt);
  out.push(
    `For comparison, on the training pairs after counter-fitting: synonyms mean cosine ` +
      `${f3(ts.mean)} (${pct(ts.shareAtLeast)} at >= 0.5), antonyms ${f3(ta.mean)} ` +
      `(${pct(ta.shareAtLeast)} at >= 0.5).`,
    "",
  );
  if (teacher.column) {
    const t = teacher.column.emb;
    const both = (ps: Pair[]) => ps.filter(([a, b]) => t.vector(a) && t.vector(b));
    out.push(
      "The same on the held-out and random pairs whose two words are also whole tokens of the " +
        `BERT vocabulary (the teacher's table, ${relativeToProject(teacherDir!)}, has rows ` +
        "only for those):",
      "",
      metricTable(cols, both(syn), both(ant), both(rnd)),
      "",
    );
  }
  out.push(teacher.line, "");
  out.push("Named pairs (cosine; rank of the second word among the first word's neighbours):", "");
  const kinds = new Map<string, string>();
  const mark = (ps: Pair[], kind: string) => {
    for (const [a, b] of ps) kinds.set(a < b ? `${a} ${b}` : `${b} ${a}`, kind);
  };
  mark(trainSyn, "synonym, trained");
  mark(syn, "synonym, held out");
  mark(trainAnt, "antonym, trained");
  mark(ant, "antonym, held out");
  out.push(`| pair | constraint | ${cols.map((c) => c.name).join(" | ")} |`);
  out.push(`|---|---|${cols.map(() => "---").join("|")}|`);
  for (const [a, b] of NAMED_PAIRS) {
    const cells = cols.map(({ emb }) => {
      const missing = [a, b].filter((w) => !emb.vector(w));
      if (missing.length) return `${missing.join(", ")} not in vocabulary`;
      return `${f3(emb.similarity(a, b)!)} (rank ${rankOf(emb, a, b) ?? "–"})`;
    });
    const kind = kinds.get(a < b ? `${a} ${b}` : `${b} ${a}`) ?? "none";
    out.push(`| ${a} / ${b} | ${kind} | ${cells.join(" | ")} |`);
  }
  out.push(
    "",
    "WordNet candidates (lib/robustness `WordSwapWordNet`, which TextFooler's candidate list " +
      "here includes) that have a vector, and those at cosine >= 0.5 to the original word:",
    "",
  );
  out.push(`| word | candidates | ${cols.map((c) => c.name).join(" | ")} |`);
  out.push(`|---|---:|${cols.map(() => "---").join("|")}|`);
  const wordnet = new WordSwapWordNet();
  for (const w of WORDNET_PROBES) {
    const cands = await wordnet.replacementWords(w);
    const cells = cols.map(({ emb }) => {
      const known = cands.filter((c) => emb.vector(c));
      const pass = known.filter((c) => emb.similarity(w, c)! >= 0.5);
      return `${known.length} with a vector; ${pass.length} at >= 0.5${
        pass.length ? `: ${pass.join(", ")}` : ""
      }`;
    });
    out.push(`| ${w} | ${cands.length} | ${cells.join(" | ")} |`);
  }
  out.push("", "Nearest neighbours (top 10 by cosine, whole words only):", "");
  out.push(`| word | ${cols.map((c) => c.name).join(" | ")} |`);
  out.push(`|---|${cols.map(() => "---").join("|")}|`);
  for (const w of PROBE_WORDS) {
    const cells = cols.map(({ emb }) =>
      emb.vector(w) ? emb.neighbours(w, 10).map((n) => n.word).join(", ") : "(not in vocabulary)"
    );
    out.push(`| ${w} | ${cells.join(" | ")} |`);
  }
  return out.join("\n") + "\n";
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      dir: { type: "string" },
      teacher: { type: "string" },
      "no-teacher": { type: "boolean", default: false },
    },
  });
  console.log(
    await evaluateWordVectors({
      dir: values.dir,
      teacherDir: values["no-teacher"] ? null : values.teacher,
    }),
  );
}
