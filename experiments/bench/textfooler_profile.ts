/**
 * Speed of the attack machinery: the textfooler recipe against the pure-JS bag-of-words victim
 * (whose own cost is negligible) on the first 100 SST-2 dev sentences.
 * Run: deno run --allow-read=. experiments/bench/textfooler_profile.ts [n=100]
 */
import { loadSst2 } from "../../lib/data/mod.ts";
import {
  BowVictim,
  buildRecipe,
  loadSynonymPairs,
  runAttack,
  SENTIMENT_WEIGHTS,
  summaryTable,
  synonymEmbedding,
  wordsFromText,
} from "../../lib/robustness/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";

const n = Number(Deno.args[0] ?? 100);
const examples = (await loadSst2("dev")).slice(0, n).map(({ text, label }) => ({ text, label }));
const ppdbPath = `${PROJECT_ROOT}data/synonyms/ppdb_synonyms.txt`;
const antonymPaths = [
  `${PROJECT_ROOT}data/synonyms/ppdb_antonyms.txt`,
  `${PROJECT_ROOT}data/synonyms/wordnet_antonyms.txt`,
];
const ppdb = loadSynonymPairs(ppdbPath);
const vocab = new Set(examples.flatMap((e) => wordsFromText(e.text.toLowerCase())));
for (const w of [...vocab]) for (const s of ppdb.get(w) ?? []) vocab.add(s);
const embedding = synonymEmbedding(vocab, (w) => ppdb.get(w) ?? [], { dim: 64 });

const victim = new BowVictim(SENTIMENT_WEIGHTS);
let victimMs = 0;
const timed = {
  numLabels: 2,
  async predict(inputs: Parameters<BowVictim["predict"]>[0]) {
    const t = performance.now();
    const out = await victim.predict(inputs);
    victimMs += performance.now() - t;
    return out;
  },
};
const attack = buildRecipe("textfooler", { victim: timed, embedding, ppdbPath, antonymPaths });
// warm up (WordNet files, POS model, PPDB) on one example outside the timing
await runAttack(attack, examples.slice(0, 1));
const rows0 = victim.rows;
victimMs = 0;
const t0 = performance.now();
const { results } = await runAttack(attack, examples);
const ms = performance.now() - t0;
const queries = results.reduce((a, r) => a + r.numQueries, 0);
console.log(summaryTable(results));
console.log(
  `${examples.length} examples, vocab ${vocab.size} words, embedding dim ${embedding.dim}\n` +
    `wall ${(ms / 1000).toFixed(2)} s, goal-function queries ${queries}, victim rows ${
      victim.rows - rows0
    }\n` +
    `queries/s (attack machinery incl. victim) ${(queries / (ms / 1000)).toFixed(0)}; ` +
    `victim time ${(victimMs / 1000).toFixed(2)} s; ms/example ${
      (ms / examples.length).toFixed(1)
    }`,
);
