import assert from "node:assert/strict";
import { Attack } from "./attack.ts";
import { AttackedText } from "./attacked_text.ts";
import { UntargetedClassification } from "./goal_function.ts";
import { RepeatModification } from "./constraints/repeat_modification.ts";
import { StopwordModification } from "./constraints/stopword_modification.ts";
import { InputColumnModification } from "./constraints/input_column_modification.ts";
import { WordEmbeddingDistance } from "./constraints/word_embedding_distance.ts";
import { MatrixEmbedding } from "./embedding.ts";
import { GreedyWordSwapWIR } from "./search/greedy_word_swap_wir.ts";
import { BeamSearch, GreedySearch } from "./search/beam_search.ts";
import { WordSwapWordNet } from "./transformations/word_swap_wordnet.ts";
import { WordSwap } from "./transformations/word_swap.ts";
import type { Transformation } from "./transformation.ts";
import type { SearchMethod } from "./search_method.ts";
import { BowVictim } from "./_test_fixtures.ts";

/** A fixed synonym table as a transformation. */
class TableSwap extends WordSwap {
  readonly name = "TableSwap";
  constructor(readonly table: Record<string, string[]>) {
    super();
  }
  replacementWords(word: string): string[] {
    return this.table[word] ?? [];
  }
}

const deletion: Transformation = {
  name: "Deletion",
  kinds: new Set(["word-deletion"]),
  deterministic: true,
  transform: (t, idx) => idx.map((i) => t.deleteWordAt(i)),
};

function attackWith(
  victim: BowVictim,
  transformation: Transformation,
  searchMethod: SearchMethod,
  queryBudget?: number,
) {
  return new Attack({
    goalFunction: new UntargetedClassification(victim, { queryBudget }),
    constraints: [new RepeatModification(), new StopwordModification()],
    transformation,
    searchMethod,
  });
}

for (const wirMethod of ["delete", "unk", "weighted-saliency"] as const) {
  Deno.test(
    `WordNet swap "good" -> weight-0 synonym flips the label ` +
      `(WIR ${wirMethod})`,
    async () => {
      const victim = new BowVictim({ good: 2, film: 0.1 }, -1);
      const attack = attackWith(
        victim,
        new WordSwapWordNet(),
        new GreedyWordSwapWIR({ wirMethod }),
      );
      const r = await attack.attack({ text: "a good film", label: 1 });
      assert.equal(r.resultType, "SUCCEEDED");
      assert.equal(r.perturbed.attackedText.words[0], "a");
      assert.notEqual(r.perturbed.attackedText.words[1], "good");
      assert.equal(r.perturbed.attackedText.words[2], "film");
      assert.equal(r.numWordsChanged, 1);
      assert.ok(Math.abs(r.perturbedWordPercent - 100 / 3) < 1e-9); // 1 of 3 words
      assert.ok(r.perturbed.output[0] > 0.5);
      assert.ok(r.numQueries > 1 && r.numQueries === attack.goalFunction.numQueries);
      assert.deepEqual([...r.perturbed.attackedText.attrs.modifiedIndices], [1]);
      if (wirMethod !== "weighted-saliency") {
        // 1 (original) + 2 (rank "good", "film"; "a" is a stopword) + one per synonym of "good"
        assert.equal(r.numQueries, 3 + new WordSwapWordNet().replacementWords("good").length);
      }
    },
  );
}

Deno.test("skipped and failed examples", async () => {
  const victim = new BowVictim({ good: 2 }, -1);
  const attack = attackWith(victim, new TableSwap({}), new GreedyWordSwapWIR());
  assert.equal((await attack.attack({ text: "a film", label: 1 })).resultType, "SKIPPED");
  const failed = await attack.attack({ text: "a good film", label: 1 });
  assert.equal(failed.resultType, "FAILED");
  assert.equal(failed.perturbed.attackedText.text, "a good film");
});

Deno.test("two swaps needed: greedy WIR, greedy and beam search all find them", async () => {
  const victim = new BowVictim({ good: 2, great: 2 }, -1.5);
  const table = { good: ["fine", "okay"], great: ["big"], film: ["movie"] };
  for (
    const search of [
      new GreedyWordSwapWIR({ wirMethod: "delete" }),
      new GreedySearch(),
      new BeamSearch({ beamWidth: 2 }),
    ]
  ) {
    const r = await attackWith(victim, new TableSwap(table), search).attack({
      text: "a good and great film",
      label: 1,
    });
    assert.equal(r.resultType, "SUCCEEDED", search.name);
    assert.equal(r.numWordsChanged, 2, search.name);
    assert.ok(
      !r.perturbed.attackedText.words.includes("good") &&
        !r.perturbed.attackedText.words.includes("great"),
    );
  }
});

Deno.test("running out of queries gives MAXIMIZED_QUERIES", async () => {
  const victim = new BowVictim({ good: 2, great: 2 }, -1.5);
  const attack = attackWith(
    victim,
    new TableSwap({ good: ["fine"], great: ["big"] }),
    new GreedyWordSwapWIR(),
    4,
  );
  const r = await attack.attack({ text: "a good and great film", label: 1 });
  assert.equal(r.resultType, "MAXIMIZED_QUERIES");
  assert.equal(r.numQueries, 4);
});

Deno.test("incompatible parts fail when the attack is built", () => {
  const victim = new BowVictim({});
  const goalFunction = new UntargetedClassification(victim);
  assert.throws(
    () =>
      new Attack({
        goalFunction,
        constraints: [],
        transformation: deletion,
        searchMethod: new GreedyWordSwapWIR({ wirMethod: "weighted-saliency" }),
      }),
    /"weighted-saliency" needs a word-swap transformation, got Deletion/,
  );
  assert.throws(
    () => new GreedyWordSwapWIR({ wirMethod: "gradient" as "delete" }),
    /unknown wirMethod "gradient"; valid: delete, unk, weighted-saliency, random/,
  );
  assert.throws(
    () =>
      new Attack({
        goalFunction,
        constraints: [new InputColumnModification(["premise", "hypothesis"], ["premise"])],
        transformation: new TableSwap({}),
        searchMethod: new GreedySearch(),
      }),
    new RegExp(
      "needs inputs with columns \\[premise, hypothesis\\], " +
        "but this attack's inputs have columns \\[text\\]",
    ),
  );
  const emb = new MatrixEmbedding(["a"], new Float32Array([1]));
  assert.throws(
    () =>
      new Attack({
        goalFunction,
        constraints: [new WordEmbeddingDistance(emb, { minCosSim: 0.5 })],
        transformation: deletion,
        searchMethod: new GreedySearch(),
      }),
    new RegExp(
      "WordEmbeddingDistance only judges word-swap edits, " +
        "but transformation Deletion also makes word-deletion",
    ),
  );
  // a pair attack rejects single texts, and vice versa
  const pair = new Attack({
    goalFunction,
    constraints: [new InputColumnModification(["premise", "hypothesis"], ["premise"])],
    transformation: new TableSwap({}),
    searchMethod: new GreedySearch(),
  }, { columnLabels: ["premise", "hypothesis"] });
  assert.throws(() => pair.checkInput({ text: "x" }), /expects a pair/);
});

Deno.test("pair attack edits only the hypothesis", async () => {
  const victim = new BowVictim({ sleeps: 2 }, -1);
  const attack = new Attack({
    goalFunction: new UntargetedClassification(victim),
    constraints: [new InputColumnModification(["premise", "hypothesis"], ["premise"])],
    transformation: new TableSwap({ sleeps: ["naps"] }),
    searchMethod: new GreedyWordSwapWIR(),
  }, { columnLabels: ["premise", "hypothesis"] });
  const r = await attack.attack({ text: "a man sleeps", textB: "he sleeps", label: 1 });
  assert.equal(r.resultType, "FAILED"); // one "sleeps" stays frozen in the premise: z = 2 - 1 > 0
  assert.deepEqual(r.perturbed.attackedText.toInput(), { text: "a man sleeps", textB: "he naps" });
  const t = AttackedText.fromInput({ text: "a", textB: "b" });
  assert.equal(t.columnLabels[1], "hypothesis");
});
