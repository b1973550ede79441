import assert from "node:assert/strict";
import { runAttack } from "./runner.ts";
import { attackMetrics } from "./metrics.ts";
import { Attack } from "./attack.ts";
import { UntargetedClassification } from "./goal_function.ts";
import { RepeatModification } from "./constraints/repeat_modification.ts";
import { GreedyWordSwapWIR } from "./search/greedy_word_swap_wir.ts";
import { WordSwapRandomCharacterSubstitution } from "./transformations/word_swap_characters.ts";
import { WordSwap } from "./transformations/word_swap.ts";
import { BowVictim, SENTIMENT_WEIGHTS, sst2Dev } from "./_test_fixtures.ts";

class TableSwap extends WordSwap {
  readonly name = "TableSwap";
  replacementWords(word: string): string[] {
    return word in SENTIMENT_WEIGHTS ? ["thing", "stuff"] : [];
  }
}

const makeAttack = () =>
  new Attack({
    goalFunction: new UntargetedClassification(new BowVictim(SENTIMENT_WEIGHTS)),
    constraints: [new RepeatModification()],
    transformation: new TableSwap(),
    searchMethod: new GreedyWordSwapWIR({ wirMethod: "delete" }),
  });

/** An appender that "crashes" after `limit` records. */
class Store {
  records: Record<string, unknown>[] = [];
  constructor(readonly limit = Infinity) {}
  appendRecord(r: Record<string, unknown>) {
    if (this.records.length >= this.limit) throw new Error("simulated crash");
    this.records.push(JSON.parse(JSON.stringify(r)));
  }
}

Deno.test(
  "records are appended as produced; " +
    "a resumed run completes without duplicates",
  async () => {
    const examples = sst2Dev(12);
    const full = await runAttack(makeAttack(), examples, { run: new Store() });
    assert.equal(full.records.length, 12);

    const store = new Store(5);
    await assert.rejects(runAttack(makeAttack(), examples, { run: store }), /simulated crash/);
    assert.equal(store.records.length, 5);
    const done = new Set(store.records.map((r) => r.key as string));
    const resumed = new Store();
    resumed.records = [...store.records];
    const out = await runAttack(makeAttack(), examples, { run: resumed, resume: done });
    assert.equal(out.resumed.length, 5);
    assert.equal(out.results.length, 7);
    const keys = resumed.records.map((r) => r.key);
    assert.deepEqual(keys, examples.map((_, i) => String(i)));
    // same records as the uninterrupted run
    assert.deepEqual(resumed.records, full.records.map((r) => JSON.parse(JSON.stringify(r))));
    // metrics from stored records
    const m = attackMetrics(resumed.records as never);
    assert.equal(m.total, 12);
    assert.ok(m.succeeded > 0 && m.succeeded + m.failed + m.skipped === 12);
    const rec = full.records.find((r) => r.resultType === "SUCCEEDED");
    assert.ok(rec && rec.perturbedText !== rec.originalText && rec.modifiedIndices.length > 0);
    assert.equal(rec.perturbedWordPercent, (rec.numWordsChanged * 100) / rec.numWords);
  },
);

Deno.test("random transformations give the same result whether resumed or not", async () => {
  const attack = () =>
    new Attack({
      goalFunction: new UntargetedClassification(new BowVictim(SENTIMENT_WEIGHTS)),
      constraints: [new RepeatModification()],
      transformation: new WordSwapRandomCharacterSubstitution(),
      searchMethod: new GreedyWordSwapWIR(),
    }, { seed: 3 });
  const ex = sst2Dev(6);
  const a = await runAttack(attack(), ex);
  const b = await runAttack(attack(), ex, { resume: new Set(["0", "1", "2"]) });
  assert.deepEqual(b.records, a.records.slice(3));
});

Deno.test("bad inputs are rejected before the first query", async () => {
  const victim = new BowVictim({});
  const attack = new Attack({
    goalFunction: new UntargetedClassification(victim),
    constraints: [],
    transformation: new TableSwap(),
    searchMethod: new GreedyWordSwapWIR(),
  });
  await assert.rejects(
    runAttack(attack, [{ text: "a", label: 0 }, { text: "b", textB: "c", label: 0 }]),
    /example 1 \(key "1"\)/,
  );
  await assert.rejects(
    runAttack(attack, [{ text: "a", label: 0 }, { text: "b", label: 0 }], { keyOf: () => "k" }),
    /share the key "k"/,
  );
  assert.equal(victim.rows, 0);
});
