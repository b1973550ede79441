/**
 * data/wordvec/README.md, written by `deno task wordvectors` from the build manifest and the
 * evaluation's Markdown, so every number in it comes from the build that wrote the files.
 */
import type { CorpusSourceStats, WordVecSettings } from "../../lib/wordvec/mod.ts";
import { formatSeconds } from "../_shared/project.ts";

export interface BuildManifest {
  command: string;
  git: { commit: string; ref: string | null };
  versions: { deno: string; v8: string };
  date: string;
  settings: WordVecSettings;
  corpus: {
    stats: CorpusSourceStats[];
    tokens: number;
    types: number;
    warnings: string[];
    trainingTokens: number;
  };
  vocabulary: number;
  constraints: {
    synonymPairs: number;
    synonymPairsInVocab: number;
    antonymPairs: number;
    antonymPairsInVocab: number;
    bothSynonymAndAntonym: number;
    trainSynonyms: number;
    trainAntonyms: number;
    heldOutSynonyms: number;
    heldOutAntonyms: number;
    vspPairs: number;
  };
  counterFitHistory: {
    epoch: number;
    antonymCost: number;
    synonymCost: number;
    vspCost: number;
  }[];
  seconds: { corpus: number; skipGram: number; counterFit: number; total: number };
  randomPairMedianCosine: { raw: number; centred: number };
  files: Record<string, { bytes: number; sha256: string }>;
}

/** How the settings were chosen and what else was measured (one-off measurements, dated). */
const CHOICES: readonly string[] = [
  "## Choices and measurements (2026-12-02, this 2-core machine, shared with another job)",
  "",
  "Skip-gram dimension and epochs were chosen on a validation split carved out of the *training*",
  "pairs (a further seeded 10%, counter-fitting on the rest), never on the held-out pairs",
  "reported above. Validation results after counter-fitting (other settings as shipped):",
  "",
  "| dim | epochs | synonyms mean cos | synonyms >= 0.5 | antonyms >= 0.5 | AUC syn/ant | " +
  "AUC syn/random | skip-gram time |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|",
  "| 100 | 5 | 0.468 | 47.8% | 1.9% | 0.845 | 0.857 | 3 min 10 s |",
  "| 100 | 10 | 0.480 | 48.9% | 0.9% | 0.869 | 0.891 | 8 min 21 s |",
  "| 300 | 10 | 0.469 | 47.1% | 0.7% | 0.869 | 0.892 | 13 min 33 s |",
  "| 100 | 20 | 0.456 | 45.4% | 0.5% | 0.873 | 0.901 | 12 min 58 s |",
  "",
  "300 dimensions (the published counter-fitted vectors' size) gave nothing over 100 on a",
  "corpus of about 2 million tokens, at three times the file size, training and neighbour-query",
  "time; more epochs helped the ranking. Shipped: 100 dimensions, 20 epochs.",
  "",
  "- `deno task wordvectors --check` after the shipped build: the three files rebuilt",
  "  bit-for-bit identical (13 min 16 s).",
  "- Trainer speed: the TypeScript trainer runs an epoch at dim 100 in about 35-45 s (about",
  "  50k words/s). Debian's fastText 0.9.2 (`fasttext skipgram -dim 100 -epoch 1 -thread 1",
  "  -minn 0 -maxn 0 -neg 5 -ws 5 -t 1e-3 -minCount 5`) took 38 s for the same epoch (60k",
  "  words/s/thread): no gain worth an apt dependency, so the build is TypeScript only.",
  "- Hogwild over 2 Deno Workers (`workers: 2`, SharedArrayBuffer): 35.1 s against 37.6 s for",
  "  one epoch at dim 100 while another job held about 1.3 of the 2 cores. Too small a gain to",
  "  give up bit-for-bit rebuilds (Hogwild results depend on thread timing), so the build uses",
  "  one thread; the option stays, tested, for a machine with idle cores.",
  "- Without mean-centring (lib/wordvec/postprocess.ts), 46% of random pairs had cosine >= 0.8",
  "  at dim 100 after 5 epochs (median 0.78): counter-fitting's VSP list (cosine distance <= 0.2)",
  "  would have held about 150 million pairs, more than a JavaScript array takes. More epochs",
  "  shrink the common direction (see the medians above) but do not remove it.",
  "",
  "## Limitations",
  "",
  "- A word absent from the corpus has no vector. `sorcerous` and `dissemble` (the swaps",
  "  `charming -> sorcerous` and `affecting -> dissemble` that motivated this work) never occur in",
  "  the bundled text, nor are they whole BERT tokens: they are WordNet candidates, and",
  "  lib/robustness's `WordEmbeddingDistance` accepts a swap whose word has no vector",
  "  (`includeUnknownWords` defaults to true, as in TextAttack). With these vectors the",
  "  constraint rejects a swap only if the recipe also sets `includeUnknownWords: false` or",
  "  draws its candidates from words that have vectors (the WordNet table above shows what would",
  "  then pass).",
  "- About 2 million tokens is a small corpus for word vectors (the published ones come from",
  "  billions); words seen only a few times get noisy vectors, and counter-fitting only fixes",
  "  those that occur in the PPDB / WordNet pairs.",
  "- Held-out synonym pairs improve through the neighbours they share with training pairs; they",
  "  stay well below the training pairs, which counter-fitting fits directly.",
];

const n = (x: number) => x.toLocaleString("en-US");
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

export function renderReadme(m: BuildManifest, evaluation?: string): string {
  const s = m.settings, sg = s.skipGram, cf = s.counterFit, c = m.constraints;
  const first = m.counterFitHistory[0], last = m.counterFitHistory[m.counterFitHistory.length - 1];
  const lines: string[] = [
    "# Word vectors: skip-gram on the bundled text, counter-fitted",
    "",
    "General-purpose word vectors for the attacks' word-embedding constraint and swaps",
    "(TextFooler, TextBugger, BAE). The published recipes use counter-fitted PARAGRAM vectors",
    "(Mrkšić et al. 2016), which are not reachable from these machines; the teacher's own",
    "input-embedding table, used until now, was trained on SST-2 labels only and groups words by",
    "polarity. These vectors are trained here, from the bundled unlabelled text, then",
    "counter-fitted to the same PPDB / WordNet pairs the published vectors used.",
    "",
    "This file is written by `deno task wordvectors` (experiments/wordvec/main.ts); do not edit",
    "it by hand. Load the vectors with `loadWordVectors()` from `lib/wordvec/mod.ts` (a",
    "lib/robustness `MatrixEmbedding`, so a `WordEmbedding` for the recipes).",
    "",
    "## Files",
    "",
    "| file | what | bytes | sha256 |",
    "|---|---|---:|---|",
    `| words.txt | \`word<TAB>count\` a line, the rows of both matrices (count = corpus ` +
    `occurrences), most frequent first | ${n(m.files["words.txt"].bytes)} | ` +
    `${m.files["words.txt"].sha256} |`,
    `| vectors.safetensors | tensor \`vectors\`, F16 [${n(m.vocabulary)}, ${sg.dim}], ` +
    `counter-fitted, unit rows | ${n(m.files["vectors.safetensors"].bytes)} ` +
    `(${mb(m.files["vectors.safetensors"].bytes)}) | ${m.files["vectors.safetensors"].sha256} |`,
    `| skipgram.safetensors | the same rows before counter-fitting (skip-gram, mean-centred, ` +
    `unit rows) | ${n(m.files["skipgram.safetensors"].bytes)} ` +
    `(${mb(m.files["skipgram.safetensors"].bytes)}) | ${m.files["skipgram.safetensors"].sha256} |`,
    "| build.json | the build manifest this README is written from | – | – |",
    "",
    "Both safetensors files carry `__metadata__` with `format: rosearch-wordvec/1`, the row count",
    "and every setting below.",
    "",
    "## How they were made",
    "",
    `Command: \`${m.command}\` (git ${m.git.commit.slice(0, 12)}${
      m.git.ref ? ` on ${m.git.ref}` : ""
    }, Deno ${m.versions.deno}, V8 ${m.versions.v8}, ${m.date.slice(0, 10)}).`,
    `Wall time ${formatSeconds(m.seconds.total)} on this 2-core machine (corpus and vocabulary ` +
    `${formatSeconds(m.seconds.corpus)}, skip-gram ${formatSeconds(m.seconds.skipGram)}, ` +
    `counter-fitting ${formatSeconds(m.seconds.counterFit)}), before the evaluation.`,
    "`deno task wordvectors --check` rebuilds into runs/wordvec_check/ and compares the sha256 of",
    "the three files with the ones here: the build is single-threaded plain TypeScript and every",
    "random draw comes from lib/random's seeded `Prng`, so the rebuild is bit-for-bit identical.",
    "Nothing beyond Deno is needed (no fastText, no Python).",
    "",
    "### Corpus (lib/wordvec/corpus.ts)",
    "",
    "All bundled unlabelled text, labels dropped, lower-cased and split into words by",
    "lib/robustness's `wordsFromText` (TextAttack's `words_from_text`, the rule the attacks use,",
    "so an attacked word finds its vector). A sequence whose words equal an earlier sequence's is",
    "dropped (SST-2, MR, SUBJ and TextFooler's MR share many Rotten Tomatoes sentences).",
    "Windows-1252 (Latin-1) files are decoded as such.",
    "",
    "| source | what was taken | sequences read | duplicates dropped | kept | tokens |",
    "|---|---|---:|---:|---:|---:|",
    ...m.corpus.stats.map((st) =>
      `| ${st.source} | ${st.note} | ${n(st.read)} | ${n(st.duplicates)} | ${n(st.sequences)} | ${
        n(st.tokens)
      } |`
    ),
    `| **all** | | | | ${n(m.corpus.stats.reduce((a, st) => a + st.sequences, 0))} | ` +
    `**${n(m.corpus.tokens)}** |`,
    "",
    `${n(m.corpus.tokens)} tokens, ${n(m.corpus.types)} distinct words. GLUE's SST-2 train file`,
    "holds every sub-phrase of its sentences as its own row; only the rows that are not a",
    "contiguous token span of another train row (the whole sentences) are used, plus dev.",
    m.corpus.warnings.length
      ? `Skipped as malformed (${m.corpus.warnings.length}): ${m.corpus.warnings.join("; ")}.`
      : "No input line was malformed.",
    "",
    "### Vocabulary",
    "",
    `${n(m.vocabulary)} words: those seen at least ${s.minCount} times, plus every word of a ` +
    `synonym or antonym pair seen at least ${s.minPairWordCount} time(s) (so counter-fitting ` +
    `reaches them). ${n(m.corpus.trainingTokens)} tokens remain for training once the other ` +
    "words are dropped (as word2vec drops them, before windowing).",
    "",
    "### Skip-gram with negative sampling (lib/wordvec/skipgram.ts)",
    "",
    "Mikolov et al. 2013, as word2vec.c: subsampling of frequent words, a window shrunk by a",
    "random amount per centre word, negatives from a unigram^0.75 table, a learning rate decaying",
    "linearly to 1e-4 of its start, input vectors uniform in ±0.5/dim, output vectors zero.",
    "",
    "| setting | value |",
    "|---|---|",
    `| dimension | ${sg.dim} |`,
    `| window (each side) | ${sg.window} |`,
    `| negative samples | ${sg.negative} |`,
    `| epochs | ${sg.epochs} |`,
    `| subsampling threshold | ${sg.sample} |`,
    `| starting learning rate | ${sg.alpha} |`,
    `| unigram table | ${n(sg.tableSize)} entries |`,
    `| seed (lib/random Prng) | ${sg.seed} |`,
    `| threads | ${sg.workers} |`,
    "",
    "The raw vectors are then mean-centred and scaled to unit length (lib/wordvec/postprocess.ts):",
    "skip-gram vectors from a corpus this small share a large common direction (median cosine of",
    `5,000 seeded random word pairs ${m.randomPairMedianCosine.raw.toFixed(3)} before centring, ` +
    `${m.randomPairMedianCosine.centred.toFixed(3)} after), which would put most pairs above`,
    "TextFooler's 0.5 and inside counter-fitting's preservation radius.",
    "",
    "### Counter-fitting (lib/wordvec/counter_fit.ts)",
    "",
    "Mrkšić et al. 2016 (NAACL): antonym repel AR with margin δ, synonym attract SA with margin γ,",
    "vector space preservation VSP over the pairs within cosine distance ρ of each other in the",
    "skip-gram space, cost k1·AR + k2·SA + k3·VSP, optimised as the reference implementation",
    "(nmrksic/counter-fitting) does: full passes with per-word averaged gradient steps on the unit",
    "sphere, renormalising after each.",
    "",
    "| setting | value |",
    "|---|---|",
    `| δ (antonym margin, cosine distance) | ${cf.delta} |`,
    `| γ (synonym margin) | ${cf.gamma} |`,
    `| ρ (VSP radius) | ${cf.rho} |`,
    `| k1, k2, k3 | ${cf.k1}, ${cf.k2}, ${cf.k3} |`,
    `| epochs | ${cf.epochs} |`,
    `| synonym pairs (data/synonyms/ppdb_synonyms.txt) | ${n(c.synonymPairs)} distinct, ` +
    `${n(c.synonymPairsInVocab)} with both words in the vocabulary, ` +
    `${n(c.bothSynonymAndAntonym)} of those also antonyms (kept as antonyms only) |`,
    `| antonym pairs (wordnet_antonyms.txt + ppdb_antonyms.txt) | ${n(c.antonymPairs)} ` +
    `distinct, ${n(c.antonymPairsInVocab)} in the vocabulary |`,
    `| held out for evaluation (seed ${s.heldOutSeed}) | ${100 * s.heldOut}% of each kind: ` +
    `${n(c.heldOutSynonyms)} synonym, ${n(c.heldOutAntonyms)} antonym pairs |`,
    `| trained on | ${n(c.trainSynonyms)} synonym, ${n(c.trainAntonyms)} antonym pairs |`,
    `| VSP pairs (within ρ in the skip-gram space) | ${n(c.vspPairs)} |`,
    "",
    first && last
      ? `Hinge costs from the first to the last epoch: AR ${first.antonymCost.toFixed(1)} → ` +
        `${last.antonymCost.toFixed(1)}, SA ${first.synonymCost.toFixed(1)} → ` +
        `${last.synonymCost.toFixed(1)}, VSP ${first.vspCost.toFixed(2)} → ` +
        `${last.vspCost.toFixed(2)}.`
      : "",
    "",
    "## Evaluation (experiments/wordvec/evaluate.ts)",
    "",
    evaluation ?? "Not run (`--no-eval`).",
    "",
    ...CHOICES,
    "",
    "## Sources and licences",
    "",
    "The corpus files are listed in data/README.md with their sources and terms (SST-2, MR,",
    "TextFooler's sets, the Multi-Domain Sentiment Dataset, TREC, SUBJ, CR, MPQA: research use).",
    "The pairs are nmrksic/counter-fitting's linguistic constraints (PPDB 2.0, CC BY 3.0;",
    "WordNet licence). The vectors are derived from them and carry the same research-use terms.",
    "",
  ];
  return lines.join("\n");
}
