import assert from "node:assert/strict";
import { loadTextFooler, TEXTFOOLER_SETS, textFoolerCleanStr } from "./textfooler.ts";
import { tempDataRoot } from "./_test_util.ts";

Deno.test("TextFooler: every set has 1,000 rows with labels in range", async () => {
  const want: Record<string, number[]> = {
    mr: [511, 489],
    ag: [256, 265, 237, 242],
    snli: [367, 322, 311], // entailment, neutral, contradiction
  };
  for (const set of TEXTFOOLER_SETS) {
    const ex = await loadTextFooler(set);
    assert.equal(ex.length, 1000, set);
    const nli = set === "snli" || set.startsWith("mnli");
    assert.ok(ex.every((e) => (e.textB !== undefined) === nli), set);
    if (want[set]) {
      const counts = want[set].map((_, k) => ex.filter((e) => e.label === k).length);
      assert.deepEqual(counts, want[set], set);
    }
  }
  const mr = await loadTextFooler("mr");
  assert.equal(
    mr[1].text,
    "davis is so enamored of her own creation that she ca n't see how insufferable the " +
      "character is",
  );
  const snli = await loadTextFooler("snli");
  assert.deepEqual(
    { text: snli[2].text, textB: snli[2].textB, label: snli[2].label },
    {
      text: "A man in a black tank top wearing a red plaid hat",
      textB: "A man wearing football pads .",
      label: 2,
    },
  );
});

Deno.test("TextFooler: clean_str port, quirks included", () => {
  assert.equal(
    textFoolerCleanStr('"Braves beat (Astros) 6-5, why?"'),
    "braves beat \\( astros \\) 6 5 , why \\?",
  );
  assert.equal(
    textFoolerCleanStr("it's what they've done, don't!"),
    "it 's what they 've done , do n't !",
  );
});

Deno.test("TextFooler: bad label words and ranges are named", async () => {
  const root = await tempDataRoot({
    "textfooler/snli": "entailment\ta\tb\nmaybe\ta\tb\n",
    "textfooler/ag": "3 fine\n4 out of range\n",
    "textfooler/mr": "1 ok\n1\n",
  });
  await assert.rejects(
    loadTextFooler("snli", { dataRoot: root }),
    /snli: line 2 is invalid: label must be one of entailment, neutral, contradiction, got "maybe"/,
  );
  await assert.rejects(
    loadTextFooler("ag", { dataRoot: root }),
    /ag: line 2 is invalid: label must be one of 0, 1, 2, 3, got "4"/,
  );
  await assert.rejects(
    loadTextFooler("mr", { dataRoot: root }),
    /mr: line 2 has no space, expected LABEL<SPACE>text/,
  );
  await Deno.remove(root, { recursive: true });
});
