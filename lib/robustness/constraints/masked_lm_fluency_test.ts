import assert from "node:assert/strict";
import { initBackend } from "../../backend/mod.ts";
import { DEFAULT_TEACHER_DIR, mlmDirOf } from "../../project/mod.ts";
import { AttackedText } from "../attacked_text.ts";
import { loadMaskedLM } from "../setup.ts";
import { MaskedLMFluency, type MaskedWordScorer, type WordInContext } from "./masked_lm_fluency.ts";

/** A scorer whose log-probability of a word is minus its length (context ignored). */
const byLength: MaskedWordScorer = {
  maskToken: "[MASK]",
  wordLogProbs: (rs: readonly WordInContext[]) => {
    for (const r of rs) assert.equal(r.textWithMask.split("[MASK]").length, 2, "one mask each");
    return Promise.resolve(rs.map((r) => -r.word.length));
  },
};

Deno.test("MaskedLMFluency: drop threshold per swapped word, against the original", async () => {
  const c = new MaskedLMFluency(byLength, { maxLogProbDrop: 3 });
  const o = new AttackedText(["a fine film"]);
  const short = o.replaceWordAt(1, "good"); // -4 vs -4: change 0
  const long = o.replaceWordAt(1, "marvellous"); // -10 vs -4: drop 6 > 3
  const edge = o.replaceWordAt(1, "superb"); // -6 vs -4: drop 2 <= 3
  assert.deepEqual(await c.checkMany([short, long, edge], o), [short, edge]);
  assert.deepEqual((await c.changes([long], o))[0], [-6]);
  // every newly swapped word must pass
  const two = short.replaceWordAt(2, "cinematography");
  assert.deepEqual(await c.checkMany([two], short), []);
  assert.throws(() => new MaskedLMFluency(byLength, { maxLogProbDrop: -1 }), /maxLogProbDrop/);
  assert.deepEqual(await c.checkMany([], o), []);
});

Deno.test({
  name: "MaskedLMFluency with the project's masked LM: keeps synonym swaps, rejects the " +
    "wrong-sense and ungrammatical swaps of notebook 01's TextFooler example",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await initBackend({ prefer: "wasm" });
    const mlm = await loadMaskedLM(mlmDirOf(DEFAULT_TEACHER_DIR));
    const c = new MaskedLMFluency(mlm); // the default threshold (5 nats)
    const o = AttackedText.fromInput({ text: "it 's a charming and often affecting journey ." });
    const at = (i: number, w: string) => o.replaceWordAt(i, w);
    const keep = [at(3, "delightful"), at(6, "touching"), at(6, "moving")];
    const reject = [at(3, "sorcerous"), at(6, "dissemble")];
    assert.deepEqual(await c.checkMany([...keep, ...reject], o), keep);
    const changes = (await c.changes(reject, o)).flat();
    for (const d of changes) assert.ok(d < -10, `a drop of more than 10 nats, got ${d}`);
  },
});
