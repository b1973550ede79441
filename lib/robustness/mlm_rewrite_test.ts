import assert from "node:assert/strict";
import { mlmRewrite } from "./mlm_rewrite.ts";
import type { MaskedLM } from "./transformations/word_swap_masked_lm.ts";
import { loadMaskedLM } from "./setup.ts";
import { DEFAULT_MLM_DIR } from "../project/mod.ts";
import { initBackend } from "../backend/mod.ts";

/** A masked LM that proposes the word left of the mask, then fixed words, and counts calls. */
function fakeMlm(): MaskedLM & { calls: number } {
  const m = {
    maskToken: "[MASK]",
    calls: 0,
    topK(texts: readonly string[], k: number) {
      m.calls++;
      return Promise.resolve(texts.map((t) => {
        const w = t.split(" "), at = w.indexOf("[MASK]");
        assert.equal(w.filter((x) => x === "[MASK]").length, 1, "one mask per text");
        return [w[at - 1] ?? "start", "fine", "good", "grand"].slice(0, k)
          .map((token, i) => ({ token, prob: 0.4 / (i + 1) }));
      }));
    },
  };
  return m;
}

const examples = [
  { text: "a truly wonderful film , full of life .", label: 1 },
  { text: "dull and lifeless .", label: 0 },
  { text: ", .", label: 1 },
];

Deno.test("mlmRewrite: seeded, label kept, rate of words replaced, punctuation kept", async () => {
  const mlm = fakeMlm();
  const a = await mlmRewrite(examples, { mlm, rate: 0.3, seed: 5, perSentence: 2 });
  const b = await mlmRewrite(examples, { mlm: fakeMlm(), rate: 0.3, seed: 5, perSentence: 2 });
  const c = await mlmRewrite(examples, { mlm: fakeMlm(), rate: 0.3, seed: 6, perSentence: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((x) => x.text), c.map((x) => x.text));
  assert.equal(a.length, 6);
  assert.deepEqual(a.map((x) => x.label), [1, 1, 0, 0, 1, 1]);
  // sentence 1 has 7 words with letters: round(0.3 x 7) = 2 replaced, one topK call per step
  assert.equal(a[0].changed, 2);
  assert.equal(a[2].changed, 1, "at least one word");
  assert.equal(a[4].changed, 0, "nothing with a letter: unchanged");
  assert.equal(a[4].text, ", .");
  assert.equal(mlm.calls, 2);
  for (const r of a.slice(0, 2)) {
    const before = examples[0].text.split(" "), after = r.text.split(" ");
    assert.equal(after.length, before.length);
    assert.equal(after.filter((w, i) => w !== before[i]).length, 2, r.text);
    assert.equal(after[4], ",");
  }
  await assert.rejects(() => mlmRewrite(examples, { mlm, rate: 0, seed: 1 }), /rate/);
});

Deno.test("mlmRewrite with the project's masked LM: fluent whole-word replacements", async () => {
  await initBackend({ prefer: "wasm" });
  const mlm = await loadMaskedLM(DEFAULT_MLM_DIR);
  const out = await mlmRewrite(examples.slice(0, 2), { mlm, rate: 0.3, seed: 1, perSentence: 3 });
  assert.equal(out.length, 6);
  for (const r of out) {
    assert.ok(r.changed >= 1, r.text);
    assert.ok(!/\[|##/.test(r.text), `no special tokens or word pieces: ${r.text}`);
  }
  assert.ok(new Set(out.map((r) => r.text)).size >= 4, "rewrites differ");
});
