import assert from "node:assert/strict";
import { AttackResultView } from "./view.ts";
import { Attack } from "./attack.ts";
import { UntargetedClassification } from "./goal_function.ts";
import { GreedyWordSwapWIR } from "./search/greedy_word_swap_wir.ts";
import { WordSwap } from "./transformations/word_swap.ts";
import { BowVictim } from "./_test_fixtures.ts";

class Swap extends WordSwap {
  readonly name = "Swap";
  replacementWords(w: string): string[] {
    return w === "good" ? ["<b>ok</b>"] : [];
  }
}

Deno.test("AttackResultView highlights changed words and escapes every data string", async () => {
  const attack = new Attack({
    goalFunction: new UntargetedClassification(new BowVictim({ good: 2 }, -1)),
    constraints: [],
    transformation: new Swap(),
    searchMethod: new GreedyWordSwapWIR(),
  });
  const r = await attack.attack({ text: `a "good" film & <script>`, label: 1 });
  assert.equal(r.resultType, "SUCCEEDED");
  const view = new AttackResultView(r, { labelNames: ["neg<", "pos"] });
  const display = (view as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ];
  const bundle = display.call(view);
  assert.deepEqual(bundle, view.toMimeBundle());
  const html = bundle["text/html"];
  assert.ok(!html.includes("<script>") && html.includes("&lt;script&gt;"));
  assert.ok(html.includes("&quot;"));
  assert.ok(html.includes("neg&lt;") && !html.includes("neg<"));
  assert.match(html, /background:#fcc[^>]*>good<\/span>/);
  // the replacement's words ("b" tags are not words)
  assert.match(html, /background:#cfc[^>]*>ok<\/span>/);
  assert.match(bundle["text/plain"], /\[\[good\]\]/);
});
