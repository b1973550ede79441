/**
 * The recipes as `attackResources` builds them (the counter-fitted vectors of data/wordvec, the
 * project's masked LM) on notebook 01's TextFooler example, where the pre-issue-12 setup
 * produced `charming -> sorcerous` (a wrong WordNet sense) and `affecting -> dissemble`
 * (an adjectival participle replaced by a base-form verb).
 */
import assert from "node:assert/strict";
import { initBackend } from "../../backend/mod.ts";
import { DEFAULT_TEACHER_DIR } from "../../project/mod.ts";
import { BowVictim, SENTIMENT_WEIGHTS } from "../_test_fixtures.ts";
import type { Attack } from "../attack.ts";
import { AttackedText } from "../attacked_text.ts";
import { attackResources } from "../setup.ts";
import { buildRecipe } from "./mod.ts";

/** The texts that pass every post-transformation constraint of `attack`. */
async function passing(attack: Attack, texts: AttackedText[], original: AttackedText) {
  let pass = texts;
  for (const c of attack.constraints) pass = await c.checkMany(pass, original);
  return pass;
}

const SENTENCE = "it 's a charming and often affecting journey .";

Deno.test({
  name: "textfooler with the counter-fitted vectors: no wrong-sense or wrong-form candidates, " +
    "and the constraints reject them when made by hand",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await initBackend({ prefer: "wasm" });
    const resources = await attackResources(["textfooler"], { teacherDir: DEFAULT_TEACHER_DIR });
    assert.match(resources.embeddingSource!, /counter-fitted word vectors \(data\/wordvec\)/);
    const attack = buildRecipe("textfooler", {
      victim: new BowVictim(SENTIMENT_WEIGHTS),
      embedding: resources.embedding,
      mlm: resources.mlm,
      queryBudget: 50,
    });
    assert.ok(attack.constraints.some((c) => c.name.startsWith("MaskedLMFluency")));
    const o = AttackedText.fromInput({ text: SENTENCE });
    const candidates = await attack.getTransformations(o, o, { indicesToModify: [3, 6] });
    const words = (i: number) =>
      candidates.filter((t) => t.words[i] !== o.words[i]).map((t) => t.words[i]);
    assert.ok(words(3).length > 0, "charming has candidates");
    assert.ok(!words(3).includes("sorcerous") && !words(6).includes("dissemble"));
    assert.ok(words(3).includes("delightful"), `charming -> ${words(3).join(", ")}`);
    // the same swaps made by hand are rejected; a synonym swap passes
    const bad = [o.replaceWordAt(3, "sorcerous"), o.replaceWordAt(6, "dissemble")];
    const good = o.replaceWordAt(3, "delightful");
    assert.deepEqual(await passing(attack, [...bad, good], o), [good]);
  },
});

Deno.test({
  name: "pwws: WordNet synonyms of the word's part of speech in its sentence only",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const attack = buildRecipe("pwws", { victim: new BowVictim(SENTIMENT_WEIGHTS) });
    const o = AttackedText.fromInput({ text: SENTENCE });
    const swaps = (await attack.getTransformations(o, o, { indicesToModify: [3] }))
      .map((t) => t.words[3]);
    // "charming" is an adjective here: its noun/verb senses ("charm", "bewitch") stay out
    assert.ok(swaps.length > 0);
    for (const w of ["becharm", "bewitch", "enchant", "capture"]) assert.ok(!swaps.includes(w), w);
  },
});
