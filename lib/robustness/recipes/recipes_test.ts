import assert from "node:assert/strict";
import { buildRecipe, RECIPE_NAMES, RECIPES } from "./mod.ts";
import { runAttack } from "../runner.ts";
import { attackMetrics } from "../metrics.ts";
import { loadSynonymPairs } from "../transformations/word_swap_ppdb.ts";
import type { MaskedLM } from "../transformations/word_swap_masked_lm.ts";
import { wordsFromText } from "../attacked_text.ts";
import {
  BowVictim,
  SENTIMENT_WEIGHTS,
  sst2Dev,
  synonymEmbedding,
  testDataPath,
} from "../_test_fixtures.ts";

const ppdbPath = testDataPath("synonyms/ppdb_synonyms.txt");
const antonymPaths = [
  testDataPath("synonyms/ppdb_antonyms.txt"),
  testDataPath("synonyms/wordnet_antonyms.txt"),
];
const examples = sst2Dev(8);
const ppdb = loadSynonymPairs(ppdbPath);
const vocab = new Set(examples.flatMap((e) => wordsFromText(e.text)));
for (const w of [...vocab]) for (const s of ppdb.get(w) ?? []) vocab.add(s);
const embedding = synonymEmbedding(vocab, (w) => ppdb.get(w) ?? []);

/** Predicts a few fixed tokens for any mask. */
const mlm: MaskedLM = {
  maskToken: "[MASK]",
  topK: (texts, k) =>
    Promise.resolve(
      texts.map(() =>
        [{ token: "thing", prob: 0.3 }, { token: "film", prob: 0.2 }, { token: "it", prob: 0.1 }]
          .slice(0, k)
      ),
    ),
};

Deno.test("recipe names match TextAttack's; unknown names list the valid ones", () => {
  assert.deepEqual([...RECIPE_NAMES], ["textfooler", "pwws", "deepwordbug", "textbugger", "bae"]);
  const victim = new BowVictim({});
  assert.throws(
    () => buildRecipe("textfool", { victim }),
    /Unknown attack recipe "textfool"; valid: textfooler, pwws, deepwordbug, textbugger, bae/,
  );
  assert.throws(
    () => buildRecipe("textfooler", { victim }),
    /Recipe "textfooler" needs options.embedding/,
  );
  assert.throws(() => buildRecipe("bae", { victim, embedding }), /Recipe "bae" needs options.mlm/);
  for (const name of RECIPE_NAMES) assert.ok(RECIPES[name].citation.length > 0);
});

for (const name of RECIPE_NAMES) {
  Deno.test(`recipe ${name} attacks SST-2 sentences on a bag-of-words victim`, async () => {
    const victim = new BowVictim(SENTIMENT_WEIGHTS);
    const attack = buildRecipe(name, {
      victim,
      embedding,
      mlm,
      ppdbPath,
      antonymPaths,
      queryBudget: 2000,
    });
    const { results } = await runAttack(attack, examples);
    const m = attackMetrics(results);
    assert.equal(m.total, examples.length);
    assert.ok(m.succeeded + m.failed > 0, `${name}: every example skipped`);
    for (const r of results) {
      if (r.resultType === "SUCCEEDED") {
        assert.notEqual(r.perturbed.attackedText.text, r.original.attackedText.text);
        assert.notEqual(r.perturbed.output[r.groundTruth] > 0.5, true);
      }
      assert.ok(r.numQueries <= 2000);
    }
  });
}

Deno.test("textfooler on NLI pairs freezes the premise", () => {
  const victim = new BowVictim(SENTIMENT_WEIGHTS);
  const attack = buildRecipe("textfooler", {
    victim,
    embedding,
    ppdbPath,
    antonymPaths,
    columnLabels: ["premise", "hypothesis"],
  });
  assert.ok(attack.preConstraints.some((c) => c.name === "InputColumnModification"));
  assert.match(attack.toString(), /GreedyWordSwapWIR\(delete\)/);
});
