import assert from "node:assert/strict";
import { AttackedText } from "./attacked_text.ts";
import { UntargetedClassification } from "./goal_function.ts";
import { BowVictim } from "./_test_fixtures.ts";

const victim = () => new BowVictim({ good: 2, bad: -2 });

Deno.test("score is 1 - p(ground truth); success when the argmax leaves the label", async () => {
  const g = new UntargetedClassification(victim());
  const init = await g.initAttackExample(new AttackedText(["a good film"]), 1);
  assert.equal(init.status, "SEARCHING");
  assert.ok(Math.abs(init.score - (1 - 1 / (1 + Math.exp(-2)))) < 1e-12);
  const texts = ["a bad film", "a good good film", "a film"].map((t) => new AttackedText([t]));
  const { results } = await g.getResults(texts);
  // a tie goes to label 0
  assert.deepEqual(results.map((r) => r.status), ["SUCCEEDED", "SEARCHING", "SUCCEEDED"]);
  assert.equal(g.numQueries, 4);
});

Deno.test("examples the model already gets wrong are SKIPPED", async () => {
  const g = new UntargetedClassification(victim());
  const r = await g.initAttackExample(new AttackedText(["a bad film"]), 1);
  assert.equal(r.status, "SKIPPED");
  await assert.rejects(g.initAttackExample(new AttackedText(["x"]), 2), /not a label in \[0, 2\)/);
});

Deno.test("query budget cuts requests and ends the search; batches go to the victim", async () => {
  const v = victim();
  const g = new UntargetedClassification(v, { queryBudget: 4, batchSize: 2 });
  await g.initAttackExample(new AttackedText(["good"]), 1);
  const texts = ["a", "b", "c", "d", "e"].map((w) => new AttackedText([`${w} good`]));
  const { results, searchOver } = await g.getResults(texts);
  assert.equal(results.length, 3);
  assert.equal(searchOver, true);
  assert.equal(g.numQueries, 4);
  assert.equal(g.budgetExhausted, true);
  assert.equal(v.calls, 3); // 1 (initial) + 2 batches of <= 2
  // cached texts still count as queries (TextAttack), but are not sent again
  const g2 = new UntargetedClassification(v);
  await g2.initAttackExample(new AttackedText(["good"]), 1);
  const rows = v.rows;
  await g2.getResults([new AttackedText(["good"]), new AttackedText(["good"])]);
  assert.equal(g2.numQueries, 3);
  assert.equal(v.rows, rows);
});

Deno.test("a victim returning the wrong number of rows is reported", async () => {
  const bad = { numLabels: 2, predict: () => Promise.resolve([[0.5, 0.5], [0.5, 0.5]]) };
  const g = new UntargetedClassification(bad);
  await assert.rejects(
    g.initAttackExample(new AttackedText(["x"]), 0),
    /returned 2 rows for 1 inputs/,
  );
  assert.throws(() => new UntargetedClassification(bad, { queryBudget: 0 }), /queryBudget/);
});
